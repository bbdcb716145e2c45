import { initialState } from '@parley/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationUuid } from '../src/service/processing/conversation-id.js';
import { type Checkpoint, CheckpointRepository } from '../src/service/repositories/checkpoint-repository.js';
import { InboxRepository } from '../src/service/repositories/inbox-repository.js';
import { intakeFlow } from './support/intake-flow.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';

/**
 * The checkpoint statement's fencing: a contact whose expected version is stale gets nothing of its
 * checkpoint written, and the other contacts of the same batch are committed.
 */
describe('checkpoint writes on Postgres', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let seeded: Awaited<ReturnType<typeof seedPublishedFlow>>;
  const repository = new CheckpointRepository();
  const inbox = new InboxRepository();
  const contacts = ['+15550000001', '+15550000002', '+15550000003'];

  beforeAll(async () => {
    database = await createTestDatabase();
    seeded = await seedPublishedFlow(database.db, intakeFlow);
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function receive(contact: string, id: string): Promise<number> {
    const [rowId] = await inbox.insert(database.db, [
      {
        workspaceId: seeded.workspaceId,
        numberId: seeded.numberId,
        contact,
        waMessageId: id,
        type: 'text',
        body: { text: id, sentAt: 0 },
      },
    ]);
    if (rowId === null || rowId === undefined) throw new Error('not inserted');
    return rowId;
  }

  function checkpoint(contact: string, expectedVersion: number, inboundId: number, turn: number): Checkpoint {
    const engineId = `${contact}-conversation`;
    const conversationId = conversationUuid(seeded.numberId, engineId);
    const at = Date.UTC(2026, 0, 1, 0, turn);
    return {
      workspaceId: seeded.workspaceId,
      numberId: seeded.numberId,
      contact,
      expectedVersion,
      state: { ...initialState({ phone: contact }) },
      flowVersionId: seeded.versionId,
      conversationId,
      conversations: [
        {
          id: conversationId,
          workspaceId: seeded.workspaceId,
          numberId: seeded.numberId,
          contact,
          contactName: null,
          flowId: seeded.flowId,
          flowVersionId: seeded.versionId,
          engineId,
          status: turn === 1 ? 'active' : 'completed',
          currentNode: `n${turn}`,
          variables: { turn },
          answers: { turn },
          endReason: null,
          releasedAt: null,
          isTest: true,
          startedAt: at,
          endedAt: turn === 1 ? null : at,
          handoffAt: null,
          firstAgentReplyAt: null,
        },
      ],
      nodeVisits: [{ conversationId, nodeId: `n${turn}`, visits: 1, answered: turn > 1 }],
      processedInbound: [{ id: inboundId, conversationId }],
      outbound: [
        {
          conversationId,
          idempotencyKey: `${seeded.numberId}:${contact}:${expectedVersion + 1}:1`,
          type: 'text',
          body: { text: `reply ${turn}` },
        },
      ],
      responses:
        turn === 1
          ? []
          : [
              {
                conversationId,
                flowId: seeded.flowId,
                flowVersionId: seeded.versionId,
                answers: { turn },
                isTest: true,
                completedAt: at,
              },
            ],
      timerDueAt: turn === 1 ? at + 60_000 : null,
      effectsAdded: [{ requestId: `${contact}-request-${turn}`, payload: { turn } }],
      effectsDone: turn === 1 ? [] : [`${contact}-request-1`],
      notes: [],
    };
  }

  async function snapshot(contact: string) {
    const one = async (sql: string) =>
      (await database.db.query<Record<string, unknown>>(sql, [seeded.numberId, contact])).rows;
    return {
      state: await one('select version from contact_states where number_id = $1 and contact = $2'),
      conversation: await one(
        'select status, current_node, variables from conversations where number_id = $1 and contact = $2',
      ),
      visits: await one(
        `select node_id, visits, answered from node_visits where conversation_id in
           (select id from conversations where number_id = $1 and contact = $2) order by node_id`,
      ),
      inbound: await one(
        `select status, conversation_id is not null as linked from messages
         where number_id = $1 and contact = $2 and direction = 'in' order by id`,
      ),
      outbound: await one(
        `select body->>'text' as text, status from messages
         where number_id = $1 and contact = $2 and direction = 'out' order by id`,
      ),
      responses: await one(
        `select answers from responses where conversation_id in
           (select id from conversations where number_id = $1 and contact = $2)`,
      ),
      timer: await one('select due_at is not null as set from timers where number_id = $1 and contact = $2'),
      effects: await one(
        'select request_id from pending_effects where number_id = $1 and contact = $2 order by request_id',
      ),
    };
  }

  it('commits a batch in one statement and leaves out only the contacts that lost the version check', async () => {
    const first = await Promise.all(contacts.map((contact) => receive(contact, `${contact}-1`)));
    const lostFirst = await repository.write(
      database.db,
      contacts.map((contact, index) => checkpoint(contact, 0, first[index] as number, 1)),
    );
    expect(lostFirst).toEqual([]);
    const [a, b, c] = contacts as [string, string, string];
    expect(await snapshot(a)).toEqual({
      state: [{ version: 1 }],
      conversation: [{ status: 'active', current_node: 'n1', variables: { turn: 1 } }],
      visits: [{ node_id: 'n1', visits: 1, answered: false }],
      inbound: [{ status: 'processed', linked: true }],
      outbound: [{ text: 'reply 1', status: 'queued' }],
      responses: [],
      timer: [{ set: true }],
      effects: [{ request_id: `${a}-request-1` }],
    });

    // Contact a's writer read version 0 again (a stale cache, or another process got there first).
    const second = await Promise.all(contacts.map((contact) => receive(contact, `${contact}-2`)));
    const lost = await repository.write(database.db, [
      checkpoint(a, 0, second[0] as number, 2),
      checkpoint(b, 1, second[1] as number, 2),
      checkpoint(c, 1, second[2] as number, 2),
    ]);
    expect(lost).toEqual([`${seeded.numberId}:${a}`]);

    // Nothing of a's second checkpoint: still version 1, its new message unprocessed, no reply.
    expect(await snapshot(a)).toEqual({
      state: [{ version: 1 }],
      conversation: [{ status: 'active', current_node: 'n1', variables: { turn: 1 } }],
      visits: [{ node_id: 'n1', visits: 1, answered: false }],
      inbound: [
        { status: 'processed', linked: true },
        { status: 'received', linked: false },
      ],
      outbound: [{ text: 'reply 1', status: 'queued' }],
      responses: [],
      timer: [{ set: true }],
      effects: [{ request_id: `${a}-request-1` }],
    });
    // b and c: everything of their second checkpoint.
    for (const contact of [b, c]) {
      expect(await snapshot(contact)).toEqual({
        state: [{ version: 2 }],
        conversation: [{ status: 'completed', current_node: 'n2', variables: { turn: 2 } }],
        visits: [
          { node_id: 'n1', visits: 1, answered: false },
          { node_id: 'n2', visits: 1, answered: true },
        ],
        inbound: [
          { status: 'processed', linked: true },
          { status: 'processed', linked: true },
        ],
        outbound: [
          { text: 'reply 1', status: 'queued' },
          { text: 'reply 2', status: 'queued' },
        ],
        responses: [{ answers: { turn: 2 } }],
        timer: [],
        effects: [{ request_id: `${contact}-request-2` }],
      });
    }

    // Retried at the right version, a's checkpoint goes through.
    expect(await repository.write(database.db, [checkpoint(a, 1, second[0] as number, 2)])).toEqual([]);
    expect((await snapshot(a)).state).toEqual([{ version: 2 }]);
  });

  it('writes an empty batch as nothing', async () => {
    expect(await repository.write(database.db, [])).toEqual([]);
  });
});
