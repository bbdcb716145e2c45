/**
 * The hand-off measures on a runtime's /metrics, read from real Postgres rows at the scrape: open
 * hand-offs by workspace, those each person holds, and the time from hand-off to the first reply
 * of a person as a histogram. Live tests, closed hand-offs and released ones do not count.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { INTERNAL_TOKEN, internalAuth } from './support/internal-token.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';

describe('hand-off metrics', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let service: RuntimeService;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    service = await RuntimeService.start({
      ...runtimeConfigFromEnv({}),
      port: 0,
      host: '127.0.0.1',
      tokens: { internal: INTERNAL_TOKEN },
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
    });
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await redis?.cleanup();
    await database?.drop();
  });

  async function person(): Promise<string> {
    const { rows } = await database.db.query<{ id: string }>(
      'insert into users (email) values ($1) returning id',
      [`agent-${randomUUID().slice(0, 8)}@example.com`],
    );
    return (rows[0] as { id: string }).id;
  }

  /** A hand-off `minutesAgo`, answered by a person `replyAfterMinutes` later (null: not yet). */
  async function handoff(
    seed: { workspaceId: string; numberId: string; flowId: string; versionId: string },
    options: {
      minutesAgo: number;
      replyAfterMinutes?: number;
      holder?: string;
      status?: string;
      released?: boolean;
      isTest?: boolean;
    },
  ): Promise<void> {
    await database.db.query(
      `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status,
         is_test, started_at, handoff_at, first_agent_reply_at, assigned_user_id, released_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, now() - interval '1 day',
         now() - $9::integer * interval '1 minute',
         now() - $9::integer * interval '1 minute' + $10::integer * interval '1 minute', $11,
         case when $12::boolean then now() end)`,
      [
        seed.workspaceId,
        seed.numberId,
        `+1555${Math.floor(Math.random() * 1e7)}`,
        seed.flowId,
        seed.versionId,
        randomUUID(),
        options.status ?? 'handoff',
        options.isTest ?? false,
        options.minutesAgo,
        options.replyAfterMinutes ?? null,
        options.holder ?? null,
        options.released ?? false,
      ],
    );
  }

  async function scrape(): Promise<string> {
    const response = await fetch(`${base}/metrics`, { headers: internalAuth });
    expect(response.status).toBe(200);
    return response.text();
  }

  it('reports open hand-offs, who holds them and how long the first reply took', async () => {
    const clinic = await seedPublishedFlow(database.db, { nodes: [], edges: [] });
    const shop = await seedPublishedFlow(database.db, { nodes: [], edges: [] });
    const ana = await person();
    const rui = await person();
    // The clinic: three open (Ana holds two, answered after 2 and 20 minutes), one released, one test.
    await handoff(clinic, { minutesAgo: 30, replyAfterMinutes: 2, holder: ana });
    await handoff(clinic, { minutesAgo: 60, replyAfterMinutes: 20, holder: ana });
    await handoff(clinic, { minutesAgo: 5 });
    await handoff(clinic, { minutesAgo: 90, released: true });
    await handoff(clinic, { minutesAgo: 10, replyAfterMinutes: 1, holder: rui, isTest: true });
    // The shop: one open that Rui holds, and one handed back to the bot after a reply within 3 hours.
    await handoff(shop, { minutesAgo: 15, holder: rui });
    await handoff(shop, { minutesAgo: 300, replyAfterMinutes: 180, status: 'active' });

    const metrics = await scrape();
    expect(metrics).toContain(`parley_handoffs_open{workspace="${clinic.workspaceId}"} 3`);
    expect(metrics).toContain(`parley_handoffs_open{workspace="${shop.workspaceId}"} 1`);
    expect(metrics).toContain(`parley_handoffs_held{workspace="${clinic.workspaceId}",agent="${ana}"} 2`);
    expect(metrics).toContain(`parley_handoffs_held{workspace="${shop.workspaceId}",agent="${rui}"} 1`);
    expect(metrics).not.toContain(`parley_handoffs_held{workspace="${clinic.workspaceId}",agent="${rui}"}`);
    // First replies after 2, 20 and 180 minutes (the test's one left out).
    expect(metrics).toContain('# TYPE parley_handoff_first_reply_seconds histogram');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="60"} 0');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="300"} 1');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="1800"} 2');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="7200"} 2');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="14400"} 3');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_bucket{le="+Inf"} 3');
    expect(metrics).toContain('parley_handoff_first_reply_seconds_count 3');
    expect(metrics).toMatch(/parley_handoff_first_reply_seconds_sum 12120(\.\d+)?\n/);

    // Taken and closed: the next scrape says so.
    await database.db.query(`update conversations set released_at = now() where workspace_id = $1`, [
      shop.workspaceId,
    ]);
    const later = await scrape();
    expect(later).not.toContain(`parley_handoffs_open{workspace="${shop.workspaceId}"}`);
    expect(later).not.toContain(`agent="${rui}"`);
  });
});
