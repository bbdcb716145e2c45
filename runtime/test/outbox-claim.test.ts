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
});
