import { createPgDb } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRepository } from '../src/service/repositories/outbox-repository.js';
import { intakeFlow } from './support/intake-flow.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';

/**
 * One claim statement serves many numbers: each gets at most its limit, one message per contact
 * (the oldest unsent), and never a contact's next message while the previous one is being sent.
 */
describe('outbox claims across numbers', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Awaited<ReturnType<typeof seedPublishedFlow>>;
  let b: Awaited<ReturnType<typeof seedPublishedFlow>>;
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await seedPublishedFlow(database.db, intakeFlow);
    b = await seedPublishedFlow(database.db, intakeFlow);
    // Two messages for each contact, queued in this order.
    const queue = [
      [a, '+15550000001'],
      [a, '+15550000002'],
      [a, '+15550000003'],
      [b, '+15550000009'],
    ] as const;
    for (const round of [1, 2]) {
      for (const [number, contact] of queue) {
        await database.db.query(
          `insert into messages (workspace_id, number_id, contact, direction, type, body, status, idempotency_key)
           values ($1, $2, $3, 'out', 'text', $4::jsonb, 'queued', $5)`,
          [
            number.workspaceId,
            number.numberId,
            contact,
            JSON.stringify({ text: `${contact} #${round}` }),
            `${number.numberId}:${contact}:${round}`,
          ],
        );
      }
    }
  });

  afterAll(async () => {
    await database?.drop();
  });

  const texts = (claimed: Awaited<ReturnType<OutboxRepository['claim']>>) =>
    claimed.map(
      (message) => `${message.envelope.numberId === a.numberId ? 'a' : 'b'} ${message.envelope.message.text}`,
    );

  it('claims heads per contact, up to each number’s limit, in one statement', async () => {
    const wanted = () => [
      { numberId: a.numberId, limit: 2 },
      { numberId: b.numberId, limit: 10 },
    ];
    expect(texts(await outbox.claim(database.db, wanted()))).toEqual([
      'a +15550000001 #1',
      'a +15550000002 #1',
      'b +15550000009 #1',
    ]);
    // Contacts with a send in flight wait; the third contact of number a is next.
    expect(texts(await outbox.claim(database.db, wanted()))).toEqual(['a +15550000003 #1']);
    expect(await outbox.claim(database.db, wanted())).toEqual([]);

    const { rows } = await database.db.query<{ id: number }>(
      `select id from messages where body->>'text' in ('+15550000001 #1', '+15550000009 #1')`,
    );
    await outbox.markSent(
      database.db,
      rows.map((row) => ({ messageId: Number(row.id), channelMessageId: `sent-${row.id}` })),
    );
    const next = await outbox.claim(database.db, wanted());
    expect(texts(next)).toEqual(['a +15550000001 #2', 'b +15550000009 #2']);
    expect(next.map((message) => message.attempts)).toEqual([1, 1]);
    expect(next[0]?.envelope).toMatchObject({ numberId: a.numberId, contact: '+15550000001' });
  });

  it('lets two runtimes claim the same outbox at once without deadlocks, each message once', async () => {
    const number = await seedPublishedFlow(database.db, intakeFlow);
    const contacts = 300;
    const perContact = 4;
    await database.db.query(
      `insert into messages (workspace_id, number_id, contact, direction, type, body, status, idempotency_key)
       select $1::uuid, $2::uuid, '+1666' || lpad(c::text, 6, '0'), 'out', 'text', jsonb_build_object('text', c || '#' || r),
         'queued', $2::text || ':' || c || ':' || r
       from generate_series(1, $3::int) r, generate_series(1, $4::int) c order by r, c`,
      [number.workspaceId, number.numberId, perContact, contacts],
    );
    // Two runtimes: two connection pools, each with several claim-and-send loops, as the
    // dispatcher of each runtime runs them.
    const runtimes = [
      createPgDb({ connectionString: database.url, max: 4 }),
      createPgDb({ connectionString: database.url, max: 4 }),
    ];
    const claimed: number[] = [];
    const errors: string[] = [];
    const loop = async (db: (typeof runtimes)[number]) => {
      for (let idle = 0; idle < 20; ) {
        try {
          const batch = await outbox.claim(db, [{ numberId: number.numberId, limit: 50 }]);
          if (batch.length === 0) {
            idle += 1;
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          idle = 0;
          claimed.push(...batch.map((message) => message.envelope.messageId));
          await outbox.markSent(
            db,
            batch.map((message) => ({
              messageId: message.envelope.messageId,
              channelMessageId: `sent-${message.envelope.messageId}`,
            })),
          );
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    };
    try {
      await Promise.all(runtimes.flatMap((db) => [loop(db), loop(db), loop(db)]));
    } finally {
      await Promise.all(runtimes.map((db) => db.close()));
    }
    expect(errors.filter((message) => message.includes('deadlock detected'))).toEqual([]);
    expect(errors).toEqual([]);
    expect(claimed).toHaveLength(contacts * perContact);
    expect(new Set(claimed).size).toBe(contacts * perContact);
    const { rows } = await database.db.query<{ status: string; count: number }>(
      `select status, count(*)::int as count from messages where number_id = $1 group by status`,
      [number.numberId],
    );
    expect(rows).toEqual([{ status: 'sent', count: contacts * perContact }]);
  }, 60_000);
});
