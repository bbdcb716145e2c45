import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

/** One message in, four replies out. */
const chatty = {
  schemaVersion: 1,
  name: 'Chatty',
  triggers: [{ id: 't1', type: 'any_message', target: 'm1' }],
  nodes: [
    { id: 'm1', type: 'message', position: { x: 0, y: 0 }, config: { text: 'one' } },
    { id: 'm2', type: 'message', position: { x: 0, y: 100 }, config: { text: 'two' } },
    { id: 'm3', type: 'message', position: { x: 0, y: 200 }, config: { text: 'three' } },
    { id: 'm4', type: 'end', position: { x: 0, y: 300 }, config: { text: 'four' } },
  ],
  edges: [
    { id: 'e1', source: 'm1', sourceHandle: 'next', target: 'm2' },
    { id: 'e2', source: 'm2', sourceHandle: 'next', target: 'm3' },
    { id: 'e3', source: 'm3', sourceHandle: 'next', target: 'm4' },
  ],
};

describe('per-number send pacing', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    runtime = await env.start();
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  /** Posts one message and returns how long the four replies took to be sent, in ms. */
  async function repliesTake(numberId: string, contact: string): Promise<number> {
    const started = Date.now();
    await postMessage(
      runtime.base,
      numberId,
      contact,
      { id: `m-${contact}`, text: 'hi' },
      { deadline: Date.now() + 20_000, signal: env.stop.signal },
    );
    await waitUntil(
      `${contact} got four replies`,
      async () => {
        const rows = (await fetchTranscript(runtime.base, numberId, contact)) ?? [];
        return rows.filter((row) => row.direction === 'out' && row.status === 'sent').length === 4;
      },
      20_000,
    );
    const elapsed = Date.now() - started;
    expect(botTexts((await fetchTranscript(runtime.base, numberId, contact)) ?? [])).toEqual([
      'one',
      'two',
      'three',
      'four',
    ]);
    return elapsed;
  }

  it('sends at the pace set on the number (settings.sendPerSecond, sendBurst)', async () => {
    const { numberId } = await seedPublishedFlow(env.database.db, chatty);
    // What PATCH /numbers/{id} stores: two replies a second, one at a time.
    await env.database.db.query(
      `update numbers set settings = '{"sendPerSecond": 2, "sendBurst": 1}'::jsonb where id = $1`,
      [numberId],
    );
    // Four replies at two a second, the first at once: at least 1.5 s.
    expect(await repliesTake(numberId, '+15550001001')).toBeGreaterThanOrEqual(1400);
  }, 60_000);
});
