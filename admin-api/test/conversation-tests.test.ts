import { readFileSync } from 'node:fs';
import type { ScheduledFailure } from '@parley/admin-api';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

/** The intake flow's happy path, as a `parley test` scenario (its flow is ignored when imported). */
const intakeTest = {
  name: 'Ann signs up for Pro',
  flow: { ignored: true },
  contact: { name: 'Ann', phone: '+14155550123' },
  turns: [
    { user: 'hi', bot: [{ text: 'Hi Ann!' }, { text: 'What’s your email?' }] },
    { user: 'ann@example.com', bot: [{ text: 'Pick a plan', choices: ['Basic', 'Pro'] }] },
    { user: '2', bot: [{ text: 'Thanks, Ann!' }] },
  ],
  result: { status: 'completed', answers: { email: 'ann@example.com', plan: 'pro' } },
};

describe('conversation tests through a real runtime', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;
  let viewer: Client;
  let flowId: string;
  const failures: ScheduledFailure[] = [];

  /** Saves the intake flow with a changed goodbye: a bad edit the test catches. */
  async function saveGoodbye(text: string) {
    const flow = await editor.call('get', `/flows/${flowId}`);
    const changed = intakeFlow('Tested intake');
    changed.nodes[3] = { id: 'n4', type: 'end', config: { text } };
    const saved = await api.call('put', `/flows/${flowId}/draft`, {
      token: editor.token,
      headers: { 'if-match': flow.body.draft.etag },
      body: { definition: changed },
    });
    expect(saved.status).toBe(200);
  }

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    api.api.onScheduledTestFailure(async (failure) => {
      failures.push(failure);
    });
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    const created = await editor.call('post', '/flows', {
      name: 'Tested intake',
      definition: intakeFlow('Tested intake'),
    });
    flowId = created.body.id;
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  it('imports a scenario, runs it on the draft through the runtime, and it passes', async () => {
    const saved = await editor.call('post', `/flows/${flowId}/tests`, intakeTest);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body).toMatchObject({ name: intakeTest.name, turns: intakeTest.turns });
    expect(saved.body).not.toHaveProperty('flow');

    const run = await editor.call('post', `/flows/${flowId}/tests/run`, {});
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body).toMatchObject({
      version: 'draft',
      reason: 'manual',
      passed: true,
      results: [{ testId: saved.body.id, name: intakeTest.name, passed: true, differences: [] }],
    });

    const listed = await viewer.call('get', `/flows/${flowId}/tests`);
    expect(listed.status).toBe(200);
    expect(listed.body.settings).toEqual({ mustPassToPublish: false, everyMinutes: null });
    expect(listed.body.tests).toHaveLength(1);
    const runs = await viewer.call('get', `/flows/${flowId}/test-runs`);
    expect(runs.body.runs.map((r: { id: string }) => r.id)).toEqual([run.body.id]);
    // The test's live-test session is gone with its conversations.
    const sessions = await api.db.query(
      `select count(*)::int as n from numbers where channel = 'simulator' and settings->'simulator'->>'contact' = $1`,
      [intakeTest.contact.phone],
    );
    expect(sessions.rows[0]).toEqual({ n: 0 });
  });

  it('refuses what a conversation test cannot replay, in plain words at JSON pointers', async () => {
    const refused = await editor.call('post', `/flows/${flowId}/tests`, {
      ...intakeTest,
      startAt: '2025-07-09T10:00:00Z',
      modelScript: { replies: [{ reply: { text: 'Hi' } }] },
      turns: [...intakeTest.turns, { user: '#media image/png photo.png', bot: [] }],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors).toEqual([
      { pointer: '/startAt', message: expect.stringContaining('runs at the current time') },
      { pointer: '/modelScript', message: expect.stringContaining('cannot use a model script') },
      { pointer: '/turns/3/user', message: expect.stringContaining('Turn 4 sends a file (#media)') },
    ]);
    const malformed = await editor.call('post', `/flows/${flowId}/tests`, {
      name: 'x',
      turns: [{ user: 1 }],
    });
    expect(malformed.status).toBe(400);
    expect((await viewer.call('post', `/flows/${flowId}/tests/run`, {})).status).toBe(403);
  });

  it('a gated publish runs the draft’s tests and is refused with the diff when one fails', async () => {
    const settings = await editor.call('put', `/flows/${flowId}/test-settings`, {
      mustPassToPublish: true,
      everyMinutes: null,
    });
    expect(settings.status).toBe(200);
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(201);

    await saveGoodbye('Bye!');
    const refused = await editor.call('post', `/flows/${flowId}/publish`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('tests_failed');
    expect(refused.body.error.message).toBe(
      '1 of 1 conversation test failed; nothing was published. See what differed, fix the flow (or the test), then publish again.',
    );
    expect(refused.body.error.details.run).toMatchObject({
      reason: 'publish',
      version: 'draft',
      passed: false,
      results: [
        {
          passed: false,
          differences: ['turn 3 (user: "2"):', '  - expected: "Thanks, Ann!"', '  + actual:   "Bye!"'],
        },
      ],
    });
    expect((await editor.call('get', `/flows/${flowId}`)).body.publishedVersion).toBe(1);
  });

  it('a scheduled run after a bad publish records the failure, calls the failure hook and raises an alert', async () => {
    const rule = await api.admin.call('post', '/alert-rules', {
      name: 'Live flows still answer',
      kind: 'conversation_tests_failed',
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    // The gate off, the bad draft goes out as version 2.
    await editor.call('put', `/flows/${flowId}/test-settings`, {
      mustPassToPublish: false,
      everyMinutes: 60,
    });
    expect((await editor.call('post', `/flows/${flowId}/publish`)).body).toEqual({ version: 2 });
    expect(await api.api.runDueTests()).toBe(0);

    // The hour passes (the schedule's time is moved, not waited for).
    await api.db.query(
      `update flow_test_settings set next_run_at = now() - interval '1 second' where flow_id = $1`,
      [flowId],
    );
    expect(await api.api.runDueTests()).toBe(1);
    expect(await api.api.runDueTests()).toBe(0);

    const runs = await viewer.call('get', `/flows/${flowId}/test-runs`);
    expect(runs.body.runs[0]).toMatchObject({ reason: 'schedule', version: 2, passed: false });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      flowId,
      flowName: 'Tested intake',
      run: { id: runs.body.runs[0].id },
    });

    // The failure was checked against the rules at once: the alert is open, in words.
    const alerts = await viewer.call('get', '/alerts');
    const open = alerts.body.items.filter((alert: { ruleId: string }) => alert.ruleId === rule.body.id);
    expect(open).toHaveLength(1);
    expect(open[0].resolvedAt).toBeNull();
    expect(open[0].message).toMatch(
      /^Flow "Tested intake": 1 of 1 conversation test failed on the scheduled run of version 2 \(\d+ minutes ago\): the live flow no longer answers as they expect\. Open the flow's Tests to see what changed\.$/,
    );

    // Fixed and published again, the next scheduled run passes and the alert resolves.
    await saveGoodbye('Thanks, Ann!');
    expect((await editor.call('post', `/flows/${flowId}/publish`)).body).toEqual({ version: 3 });
    await api.db.query(
      `update flow_test_settings set next_run_at = now() - interval '1 second' where flow_id = $1`,
      [flowId],
    );
    expect(await api.api.runDueTests()).toBe(1);
    await api.api.runAlerts();
    const later = await viewer.call('get', '/alerts');
    const mine = later.body.items.filter((alert: { ruleId: string }) => alert.ruleId === rule.body.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].resolvedAt).not.toBeNull();
  });

  it('`parley test` scenario files import as they are', async () => {
    const scenario = JSON.parse(
      readFileSync(new URL('../../runtime/test/scenarios/after-completion.json', import.meta.url), 'utf8'),
    );
    const saved = await editor.call('post', `/flows/${flowId}/tests`, scenario);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.body.turns).toEqual(scenario.turns);
    expect((await editor.call('delete', `/flows/${flowId}/tests/${saved.body.id}`)).status).toBe(204);
  });
});
