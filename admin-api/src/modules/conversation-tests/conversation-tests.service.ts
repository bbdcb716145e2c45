import {
  Conflict,
  type FlowTestBody,
  type FlowTestSettings,
  NotFound,
  type TestRun,
  Unprocessable,
} from '@parley/contract';
import { compareResult, compareTurn, type ExpectedMessage } from '@parley/schemas/scenario';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { FlowsService } from '../flows/flows.service.js';
import type { BotMessage, SimulatorService } from '../simulator/simulator.service.js';
import type {
  ConversationTestsRepository,
  StoredOutcome,
  StoredRun,
  StoredTest,
  TestFields,
} from './conversation-tests.repository.js';

/** A finished scheduled run that failed: what an alert needs to say which flow and what went wrong. */
export interface ScheduledFailure {
  workspaceId: string;
  flowId: string;
  flowName: string;
  run: TestRun;
}

/** How many runs `GET /flows/{id}/test-runs` returns, newest first. */
const RECENT_RUNS = 50;
/** How many due schedules one pass claims; the rest wait for the next pass. */
const SCHEDULES_PER_PASS = 20;

/** `#media`, `#location` and `#wait` lines of `parley test`: the live test cannot replay them as such. */
const DIRECTIVE = /^#(media|location|wait)\b/i;
const DIRECTIVE_WORDS: Record<string, string> = {
  media: 'sends a file (#media)',
  location: 'sends a location (#location)',
  wait: 'waits (#wait)',
};

function labelOf(choice: unknown): string {
  if (choice !== null && typeof choice === 'object' && 'label' in choice) return String(choice.label);
  return String(choice);
}

/** A bot message in the scenario's terms: its text and, when it has some, its choices' labels. */
function asExpected(message: BotMessage): ExpectedMessage {
  return message.choices === undefined
    ? { text: message.text.trim() }
    : { text: message.text.trim(), choices: message.choices.map(labelOf) };
}

const runView = (run: StoredRun): TestRun => ({
  ...run,
  version: run.version === 0 ? 'draft' : run.version,
});

/**
 * Conversation tests attached to a flow: scenarios played through the live test (the real inbox,
 * runtime and engine, on a simulator number: never WhatsApp), run on demand, on a schedule against
 * the published version, and before a publish when the flow asks for it.
 */
export class ConversationTestsService {
  private readonly failureListeners: ((failure: ScheduledFailure) => Promise<void>)[] = [];

  constructor(
    private readonly api: ApiContext,
    private readonly repository: ConversationTestsRepository,
    private readonly flows: FlowsService,
    private readonly simulator: SimulatorService,
  ) {}

  /**
   * Calls `listener` after each scheduled run that failed, once the run is stored (an alert rule
   * hooks in here). A listener that throws is logged; the run stays recorded.
   */
  onScheduledFailure(listener: (failure: ScheduledFailure) => Promise<void>): void {
    this.failureListeners.push(listener);
  }

  async list(caller: Caller, flowId: string) {
    await this.flows.get(caller, flowId);
    const [tests, settings] = await Promise.all([
      this.repository.list(this.api.db, flowId),
      this.repository.settings(this.api.db, flowId),
    ]);
    return { tests, settings };
  }

  async create(caller: Caller, flowId: string, body: FlowTestBody): Promise<StoredTest> {
    await this.flows.get(caller, flowId);
    const fields = checkedTest(body);
    return this.api.db.transaction(async (tx) => {
      const test = await this.repository.create(tx, caller.workspaceId, flowId, fields);
      await this.audit(tx, caller, 'flow_test.create', test.id, undefined, { flowId, name: test.name });
      return test;
    });
  }

  async update(caller: Caller, flowId: string, testId: string, body: FlowTestBody): Promise<StoredTest> {
    await this.flows.get(caller, flowId);
    const fields = checkedTest(body);
    return this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, flowId, testId);
      const test = await this.repository.update(tx, flowId, testId, fields);
      if (before === null || test === null) throw new NotFound('Conversation test');
      await this.audit(tx, caller, 'flow_test.update', testId, before, test);
      return test;
    });
  }

  async remove(caller: Caller, flowId: string, testId: string): Promise<void> {
    await this.flows.get(caller, flowId);
    await this.api.db.transaction(async (tx) => {
      const test = await this.repository.remove(tx, flowId, testId);
      if (test === null) throw new NotFound('Conversation test');
      await this.audit(tx, caller, 'flow_test.delete', testId, { flowId, name: test.name });
    });
  }

  async setSettings(caller: Caller, flowId: string, settings: FlowTestSettings): Promise<FlowTestSettings> {
    await this.flows.get(caller, flowId);
    await this.api.db.transaction(async (tx) => {
      const before = await this.repository.settings(tx, flowId);
      await this.repository.setSettings(tx, caller.workspaceId, flowId, settings, caller.userId);
      await this.audit(tx, caller, 'flow_test.settings', flowId, before, settings, 'flow');
    });
    return settings;
  }

  async runs(caller: Caller, flowId: string): Promise<TestRun[]> {
    await this.flows.get(caller, flowId);
    return (await this.repository.runs(this.api.db, flowId, RECENT_RUNS)).map(runView);
  }

  /** Runs the flow's tests now against the draft or a version, and records the run. */
  async run(
    caller: Caller,
    flowId: string,
    version: number | 'draft',
    reason: StoredRun['reason'],
  ): Promise<TestRun> {
    await this.flows.get(caller, flowId);
    const tests = await this.repository.list(this.api.db, flowId);
    if (tests.length === 0 && reason === 'manual')
      throw new Unprocessable('This flow has no conversation tests yet. Add one, then run the tests.');
    const startedAt = new Date().toISOString();
    const results: StoredOutcome[] = [];
    // One after another: each test holds a simulator number and waits on the runtime.
    for (const test of tests) results.push(await this.play(caller, flowId, version, test));
    const run = await this.repository.recordRun(
      this.api.db,
      caller.workspaceId,
      flowId,
      {
        version: version === 'draft' ? 0 : version,
        reason,
        passed: results.every((result) => result.passed),
        results,
        startedAt,
      },
      caller.userId,
    );
    return runView(run);
  }

  /**
   * The publish gate: when the flow asks for it, its tests run on the draft, and any failure refuses
   * the publish with each test's differences. Returns whether the tests ran.
   */
  async gatePublish(caller: Caller, flowId: string): Promise<boolean> {
    const settings = await this.repository.settings(this.api.db, flowId);
    if (!settings.mustPassToPublish) return false;
    if ((await this.repository.list(this.api.db, flowId)).length === 0) return false;
    const run = await this.run(caller, flowId, 'draft', 'publish');
    if (run.passed) return true;
    const failed = run.results.filter((result) => !result.passed).length;
    throw new Conflict(
      `${failed} of ${run.results.length} conversation ${run.results.length === 1 ? 'test' : 'tests'} failed; nothing was published. See what differed, fix the flow (or the test), then publish again.`,
      { run },
      'tests_failed',
    );
  }

  /** Plays one test through a live-test session and compares each turn and the end. */
  private async play(
    caller: Caller,
    flowId: string,
    version: number | 'draft',
    test: StoredTest,
  ): Promise<StoredOutcome> {
    const outcome = (differences: string[]): StoredOutcome => ({
      testId: test.id,
      name: test.name,
      passed: differences.length === 0,
      differences,
    });
    let session: { id: string };
    try {
      session = await this.simulator.create(caller, flowId, version, test.contact);
    } catch (error) {
      return outcome([`The test could not start: ${reason(error)}`]);
    }
    try {
      const differences: string[] = [];
      let last = { status: 'none', answers: {} as Record<string, unknown> };
      for (const [index, turn] of test.turns.entries()) {
        const reply = await this.simulator.send(caller, session.id, { text: turn.user }, null);
        if (reply.status !== 200)
          return outcome([
            ...differences,
            `turn ${index + 1} (user: ${JSON.stringify(turn.user)}): ${reply.body.message}`,
          ]);
        differences.push(...compareTurn(index, turn.user, turn.bot, reply.body.messages.map(asExpected)));
        last = { status: reply.body.status, answers: reply.body.answers };
      }
      return outcome([...differences, ...compareResult(test.result, last)]);
    } catch (error) {
      return outcome([`The test stopped: ${reason(error)}`]);
    } finally {
      // The session's test conversations go with it; a failure leaves them marked as test data.
      await this.simulator
        .remove(caller, session.id)
        .catch((error: unknown) =>
          this.api.logger.warn({ err: error, flowId }, 'could not end a conversation test’s session'),
        );
    }
  }

  /** Runs the schedules that are due, against each flow's published version. */
  async runDue(): Promise<number> {
    const due = await this.repository.claimDue(this.api.db, SCHEDULES_PER_PASS);
    for (const schedule of due) {
      if (schedule.scheduledBy === null) {
        this.api.logger.warn(
          { flowId: schedule.flowId },
          'conversation test schedule skipped: the person who set it was removed; it runs again once someone saves the schedule',
        );
        continue;
      }
      // Scheduled runs act as the person who set the schedule, with an editor's rights.
      const caller: Caller = {
        userId: schedule.scheduledBy,
        email: '',
        sessionId: null,
        workspaceId: schedule.workspaceId,
        role: 'editor',
        apiKeyId: null,
      };
      try {
        const flow = await this.flows.get(caller, schedule.flowId);
        // Nothing to run yet: no published version, or no tests (an empty run would only add noise).
        if (flow.publishedVersion === null) continue;
        if ((await this.repository.list(this.api.db, schedule.flowId)).length === 0) continue;
        const run = await this.run(caller, schedule.flowId, flow.publishedVersion, 'schedule');
        if (!run.passed) await this.announceFailure({ ...schedule, flowName: flow.name, run });
      } catch (error) {
        this.api.logger.error(
          { err: error, flowId: schedule.flowId },
          'a scheduled conversation test run failed',
        );
      }
    }
    return due.length;
  }

  private async announceFailure(failure: ScheduledFailure): Promise<void> {
    this.api.logger.warn(
      {
        flowId: failure.flowId,
        runId: failure.run.id,
        failed: failure.run.results.filter((result) => !result.passed).length,
      },
      'scheduled conversation tests failed',
    );
    for (const listener of this.failureListeners) {
      await listener(failure).catch((error: unknown) =>
        this.api.logger.error(
          { err: error, flowId: failure.flowId },
          'a scheduled test failure was not passed on',
        ),
      );
    }
  }

  /** Checks for due schedules every `intervalMs`; returns a stop function. */
  schedule(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      // A pass that outlasts the interval is not overlapped by the next.
      if (running) return;
      running = true;
      this.runDue()
        .catch((error: unknown) =>
          this.api.logger.warn({ err: error }, 'conversation test schedules not checked'),
        )
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private audit(
    tx: Parameters<ConversationTestsRepository['create']>[0],
    caller: Caller,
    action: string,
    entityId: string,
    before?: unknown,
    after?: unknown,
    entity = 'flow_test',
  ) {
    return this.api.audit.record(tx, {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      action,
      entity,
      entityId,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    });
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A test as stored, or refused with the problems at their JSON pointers: what the live test cannot
 * replay (a start time, a model script, files, locations, clock jumps) is named in plain words.
 */
function checkedTest(body: FlowTestBody): TestFields {
  const errors: { pointer: string; message: string }[] = [];
  if (body.startAt !== undefined)
    errors.push({
      pointer: '/startAt',
      message:
        'A conversation test runs at the current time, so it cannot have a start time. Remove "startAt".',
    });
  if (body.modelScript !== undefined)
    errors.push({
      pointer: '/modelScript',
      message:
        'A conversation test runs on the live test, where AI blocks ask the workspace’s AI providers, so it cannot use a model script. Remove "modelScript" (it is for `parley test`).',
    });
  for (const [index, turn] of body.turns.entries()) {
    const directive = DIRECTIVE.exec(turn.user.trim());
    if (directive !== null)
      errors.push({
        pointer: `/turns/${index}/user`,
        message: `Turn ${index + 1} ${DIRECTIVE_WORDS[(directive[1] as string).toLowerCase()]}, which a conversation test cannot do yet: it sends typed messages only. Remove the turn, or try it in the live test.`,
      });
  }
  if (errors.length > 0)
    throw new Unprocessable(
      errors.length === 1
        ? (errors[0] as { message: string }).message
        : 'The test has problems; fix them and save it again.',
      { errors },
    );
  return {
    name: body.name,
    contact: body.contact ?? {},
    turns: body.turns,
    result: body.result,
  };
}
