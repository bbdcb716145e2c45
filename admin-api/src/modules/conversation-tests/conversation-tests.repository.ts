import type { Queryable } from '@parley/db';
import type { ScenarioContact, ScenarioResult, ScenarioTurn } from '@parley/schemas/scenario';

export interface StoredTest {
  id: string;
  name: string;
  contact: ScenarioContact;
  turns: ScenarioTurn[];
  result: ScenarioResult;
  updatedAt: string;
}

export interface TestFields {
  name: string;
  contact: ScenarioContact;
  turns: ScenarioTurn[];
  result: ScenarioResult;
}

export interface StoredSettings {
  mustPassToPublish: boolean;
  everyMinutes: number | null;
}

export interface StoredOutcome {
  testId: string;
  name: string;
  passed: boolean;
  differences: string[];
}

export interface StoredRun {
  id: string;
  version: number;
  reason: 'manual' | 'schedule' | 'publish';
  passed: boolean;
  results: StoredOutcome[];
  startedAt: string;
  finishedAt: string;
}

/** A schedule that came due, claimed by this process. */
export interface DueSchedule {
  workspaceId: string;
  flowId: string;
  scheduledBy: string | null;
}

interface TestRow {
  id: string;
  name: string;
  contact: ScenarioContact;
  turns: ScenarioTurn[];
  result: ScenarioResult;
  updated_at: Date;
}

const testView = (row: TestRow): StoredTest => ({
  id: row.id,
  name: row.name,
  contact: row.contact,
  turns: row.turns,
  result: row.result,
  updatedAt: row.updated_at.toISOString(),
});

export class ConversationTestsRepository {
  async list(db: Queryable, flowId: string): Promise<StoredTest[]> {
    const { rows } = await db.query<TestRow>(
      `select id, name, contact, turns, result, updated_at from flow_tests
       where flow_id = $1 order by created_at, id`,
      [flowId],
    );
    return rows.map(testView);
  }

  async get(db: Queryable, flowId: string, testId: string): Promise<StoredTest | null> {
    const { rows } = await db.query<TestRow>(
      `select id, name, contact, turns, result, updated_at from flow_tests where flow_id = $1 and id = $2`,
      [flowId, testId],
    );
    const row = rows[0];
    return row === undefined ? null : testView(row);
  }

  async create(db: Queryable, workspaceId: string, flowId: string, test: TestFields): Promise<StoredTest> {
    const { rows } = await db.query<TestRow>(
      `insert into flow_tests (workspace_id, flow_id, name, contact, turns, result)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb)
       returning id, name, contact, turns, result, updated_at`,
      [
        workspaceId,
        flowId,
        test.name,
        JSON.stringify(test.contact),
        JSON.stringify(test.turns),
        JSON.stringify(test.result),
      ],
    );
    return testView(rows[0] as TestRow);
  }

  async update(db: Queryable, flowId: string, testId: string, test: TestFields): Promise<StoredTest | null> {
    const { rows } = await db.query<TestRow>(
      `update flow_tests set name = $3, contact = $4::jsonb, turns = $5::jsonb, result = $6::jsonb,
         updated_at = now()
       where flow_id = $1 and id = $2
       returning id, name, contact, turns, result, updated_at`,
      [
        flowId,
        testId,
        test.name,
        JSON.stringify(test.contact),
        JSON.stringify(test.turns),
        JSON.stringify(test.result),
      ],
    );
    const row = rows[0];
    return row === undefined ? null : testView(row);
  }

  async remove(db: Queryable, flowId: string, testId: string): Promise<StoredTest | null> {
    const { rows } = await db.query<TestRow>(
      `delete from flow_tests where flow_id = $1 and id = $2
       returning id, name, contact, turns, result, updated_at`,
      [flowId, testId],
    );
    const row = rows[0];
    return row === undefined ? null : testView(row);
  }

  async settings(db: Queryable, flowId: string): Promise<StoredSettings> {
    const { rows } = await db.query<{ must_pass_to_publish: boolean; every_minutes: number | null }>(
      'select must_pass_to_publish, every_minutes from flow_test_settings where flow_id = $1',
      [flowId],
    );
    const row = rows[0];
    return {
      mustPassToPublish: row?.must_pass_to_publish ?? false,
      everyMinutes: row?.every_minutes ?? null,
    };
  }

  /** Saves the settings; a schedule's first run comes one interval from now. */
  async setSettings(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    settings: StoredSettings,
    userId: string,
  ): Promise<void> {
    await db.query(
      `insert into flow_test_settings
         (flow_id, workspace_id, must_pass_to_publish, every_minutes, scheduled_by, next_run_at)
       values ($1, $2, $3, $4, $5, now() + make_interval(mins => $4))
       on conflict (flow_id) do update set
         must_pass_to_publish = excluded.must_pass_to_publish,
         every_minutes = excluded.every_minutes,
         scheduled_by = excluded.scheduled_by,
         next_run_at = case
           when flow_test_settings.every_minutes is not distinct from excluded.every_minutes
             then flow_test_settings.next_run_at
           else excluded.next_run_at end,
         updated_at = now()`,
      [flowId, workspaceId, settings.mustPassToPublish, settings.everyMinutes, userId],
    );
  }

  /**
   * Claims the schedules that are due and moves each to its next time, in one statement: however
   * many API processes call it at once, each due schedule runs once.
   */
  async claimDue(db: Queryable, limit: number): Promise<DueSchedule[]> {
    const { rows } = await db.query<{ workspace_id: string; flow_id: string; scheduled_by: string | null }>(
      `update flow_test_settings s
         set next_run_at = now() + make_interval(mins => s.every_minutes)
       where s.flow_id in (
         select d.flow_id from flow_test_settings d join flows f on f.id = d.flow_id
         where d.every_minutes is not null and d.next_run_at <= now() and f.deleted_at is null
         order by d.next_run_at limit $1 for update of d skip locked)
       returning s.workspace_id, s.flow_id, s.scheduled_by`,
      [limit],
    );
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      flowId: row.flow_id,
      scheduledBy: row.scheduled_by,
    }));
  }

  async recordRun(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    run: Omit<StoredRun, 'id' | 'finishedAt'>,
    userId: string | null,
  ): Promise<StoredRun> {
    const { rows } = await db.query<{ id: string; finished_at: Date }>(
      `insert into flow_test_runs
         (workspace_id, flow_id, version, reason, passed, results, created_by, started_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       returning id, finished_at`,
      [
        workspaceId,
        flowId,
        run.version,
        run.reason,
        run.passed,
        JSON.stringify(run.results),
        userId,
        run.startedAt,
      ],
    );
    const row = rows[0] as { id: string; finished_at: Date };
    return { ...run, id: row.id, finishedAt: row.finished_at.toISOString() };
  }

  async runs(db: Queryable, flowId: string, limit: number): Promise<StoredRun[]> {
    const { rows } = await db.query<{
      id: string;
      version: number;
      reason: StoredRun['reason'];
      passed: boolean;
      results: StoredOutcome[];
      started_at: Date;
      finished_at: Date;
    }>(
      `select id, version, reason, passed, results, started_at, finished_at from flow_test_runs
       where flow_id = $1 order by started_at desc, id limit $2`,
      [flowId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      version: row.version,
      reason: row.reason,
      passed: row.passed,
      results: row.results,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at.toISOString(),
    }));
  }
}
