import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { INTERNAL_TOKEN, internalAuth } from './support/internal-token.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';

const emailFlow = JSON.parse(
  readFileSync(new URL('./scenarios/email-retry.json', import.meta.url), 'utf8'),
).flow;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('runtime service on real Postgres and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let service: RuntimeService;
  let base: string;
  let numberId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    ({ numberId } = await seedPublishedFlow(database.db, emailFlow));
    service = await RuntimeService.start({
      ...runtimeConfigFromEnv({}),
      port: 0,
      host: '127.0.0.1',
      tokens: { internal: INTERNAL_TOKEN },
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      timerPollMs: 100,
      maintenanceMs: 200,
    });
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await redis?.cleanup();
    await database?.drop();
  });

  async function say(contact: string, text: string, id?: string) {
    const response = await fetch(`${base}/simulator/numbers/${numberId}/messages`, {
      method: 'POST',
      headers: { ...internalAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ contact, text, ...(id === undefined ? {} : { id }) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function transcript(contact: string) {
    const response = await fetch(
      `${base}/simulator/numbers/${numberId}/contacts/${encodeURIComponent(contact)}/messages`,
      { headers: internalAuth },
    );
    return (
      (await response.json()) as {
        messages: { direction: string; status: string; body: { text?: string } }[];
      }
    ).messages;
  }

  it('walks a contact through the flow and stores the answers', async () => {
    expect((await say('+15550000001', 'start')).status).toBe(202);
    await waitFor(async () =>
      (await transcript('+15550000001')).some((m) => m.direction === 'out' && m.status === 'sent')
        ? true
        : undefined,
    );
    await say('+15550000001', 'nope');
    await say('+15550000001', ' ana@example.com ');
    const messages = await waitFor(async () => {
      const all = await transcript('+15550000001');
      return all.filter((m) => m.direction === 'out' && m.status === 'sent').length === 3 ? all : undefined;
    });
    expect(messages.filter((m) => m.direction === 'out').map((m) => m.body.text)).toEqual([
      "What's your email?",
      'Please send a valid email.',
      'Thanks!',
    ]);
    const { rows } = await database.db.query<{ answers: unknown; status: string }>(
      `select r.answers, c.status from responses r join conversations c on c.id = r.conversation_id where c.contact = $1`,
      ['+15550000001'],
    );
    expect(rows).toEqual([{ answers: { email: 'ana@example.com' }, status: 'completed' }]);
  });

  it('handles a duplicate inbound id once', async () => {
    const first = await say('+15550000002', 'hello', 'dup-1');
    const second = await say('+15550000002', 'hello', 'dup-1');
    expect(first.body.status).toBe('accepted');
    expect(second.body.status).toBe('duplicate');
    const messages = await waitFor(async () => {
      const all = await transcript('+15550000002');
      return all.some((m) => m.direction === 'out') ? all : undefined;
    });
    await service.processor.idle();
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect((await transcript('+15550000002')).filter((m) => m.direction === 'out')).toHaveLength(1);
  });

  it('rejects malformed requests with the JSON error shape', async () => {
    const response = await fetch(`${base}/simulator/numbers/${numberId}/messages`, {
      method: 'POST',
      headers: { ...internalAuth, 'content-type': 'application/json' },
      body: '{"contact": 5',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const unknown = await fetch(`${base}/simulator/numbers/00000000-0000-4000-8000-000000000000/messages`, {
      method: 'POST',
      headers: { ...internalAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ contact: 'x', text: 'hi' }),
    });
    expect(unknown.status).toBe(404);
  });

  it('answers health, readiness and metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`, { headers: internalAuth });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { postgres: { ok: true }, redis: { ok: true } } });
    const metrics = await (await fetch(`${base}/metrics`, { headers: internalAuth })).text();
    expect(metrics).toContain('parley_inbound_messages_total{result="accepted"}');
    expect(metrics).toContain('parley_step_latency_seconds_bucket');
  });
});
