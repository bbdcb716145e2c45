import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';

// A first-time contact whose message starts nothing gets the flow's no-match reply through the
// real pipeline: inbound recorded, checkpoint with the reply in the outbox (belonging to no
// conversation), sent once; then at most once a day, a limit kept across a restart.

const flow = JSON.parse(
  readFileSync(new URL('./scenarios/no-match-reply.json', import.meta.url), 'utf8'),
).flow;
const NO_MATCH = 'Hi! Write MENU to see what I can do.';
const DAY_MS = 24 * 60 * 60 * 1000;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the no-match reply to a first-time contact', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: RuntimeService;
  let numberId: string;
  let seq = 0;

  const start = () =>
    RuntimeService.start(
      { ...runtimeConfigFromEnv({ PARLEY_WHATSAPP: '0' }), databaseUrl: database.url, maintenanceMs: 200 },
      { listen: false },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ numberId } = await seedPublishedFlow(database.db, flow));
    service = await start();
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  async function say(contact: string, text: string): Promise<void> {
    seq += 1;
    await service.host.receive({ numberId, contact, id: `in-${seq}`, text, sentAt: Date.now() });
    await service.processor.idle();
  }

  const outbound = async (contact: string) =>
    (
      await database.db.query<{ text: string; conversation_id: string | null; status: string; key: string }>(
        `select body->>'text' as text, conversation_id, status, idempotency_key as key
         from messages where number_id = $1 and contact = $2 and direction = 'out' order by id`,
        [numberId, contact],
      )
    ).rows;

  const allSent = (contact: string, count: number) =>
    waitFor(async () => {
      const rows = await outbound(contact);
      return rows.length === count && rows.every((row) => row.status === 'sent') ? rows : undefined;
    });

  it('answers outside any conversation, sends it once, and stays quiet for the rest of the day', async () => {
    const contact = '+34612345678';
    await say(contact, 'hello');
    const [reply] = await allSent(contact, 1);
    expect(reply).toMatchObject({ text: NO_MATCH, conversation_id: null });
    const conversations = await database.db.query('select 1 from conversations where contact = $1', [
      contact,
    ]);
    expect(conversations.rowCount).toBe(0);
    const inbound = await database.db.query<{ status: string; conversation_id: string | null }>(
      `select status, conversation_id from messages where contact = $1 and direction = 'in'`,
      [contact],
    );
    expect(inbound.rows).toEqual([{ status: 'processed', conversation_id: null }]);

    await say(contact, 'are you open today?');
    expect((await outbound(contact)).map((row) => row.text)).toEqual([NO_MATCH]);
    const processed = await database.db.query(
      `select 1 from messages where contact = $1 and direction = 'in' and status = 'processed'`,
      [contact],
    );
    expect(processed.rowCount).toBe(2);
  });

  it('counts the day per contact', async () => {
    await say('+4915123456789', 'hi there');
    expect((await allSent('+4915123456789', 1)).map((row) => row.text)).toEqual([NO_MATCH]);
  });

  it('answers again a day later, after a restart, and the keyword still starts the flow', async () => {
    const contact = '+447911123456';
    await say(contact, 'hello');
    await allSent(contact, 1);
    await service.stop();
    // The day has passed: the stored state says the reply went out over 24 hours ago.
    await database.db.query(
      `update contact_states set state = jsonb_set(state, '{noMatchRepliedAt}', to_jsonb($3::bigint))
       where number_id = $1 and contact = $2`,
      [numberId, contact, Date.now() - DAY_MS - 60_000],
    );
    service = await start();
    await say(contact, 'hello again');
    await say(contact, 'menu');
    await say(contact, 'Ana');
    const rows = await allSent(contact, 4);
    expect(rows.map((row) => row.text)).toEqual([
      NO_MATCH,
      NO_MATCH,
      'What is your name?',
      'Thanks, Ana. We open at 9.',
    ]);
    expect(rows.map((row) => row.conversation_id === null)).toEqual([true, true, false, false]);
    expect(new Set(rows.map((row) => row.key)).size).toBe(4);
  });
});
