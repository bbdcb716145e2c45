/**
 * The hand-off part of a flow's analytics, against rows as the runtime writes them: how many
 * conversations were handed to a person, how many are still with one, the median and 90th
 * percentile time to a first reply, and per person the hand-offs they took, their replies and
 * their median first reply. Checked by hand below.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededFlow, seedFlow } from './support/results-seed.js';
import { startTestApi, type TestApi } from './support/test-api.js';

let t: TestApi;
let flow: SeededFlow;
let ana: { id: string; email: string };
let rui: { id: string; email: string };

async function person(name: string): Promise<{ id: string; email: string }> {
  const email = `${name}-${randomUUID().slice(0, 6)}@clinic.example`;
  const { rows } = await t.db.query<{ id: string }>('insert into users (email) values ($1) returning id', [
    email,
  ]);
  return { id: (rows[0] as { id: string }).id, email };
}

/**
 * A conversation handed off at 10:00 plus `offset` minutes on 1 March, with a person's replies
 * `after` minutes past the hand-off, each by `who`.
 */
async function handoff(options: {
  status?: string;
  released?: boolean;
  isTest?: boolean;
  holder?: string;
  replies?: { who: { id: string }; name: string; after: number; failed?: boolean }[];
}): Promise<void> {
  const replies = options.replies ?? [];
  const firstReply = replies.filter((reply) => reply.failed !== true)[0];
  const { rows } = await t.db.query<{ id: string }>(
    `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, is_test,
       started_at, handoff_at, first_agent_reply_at, assigned_user_id, released_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, '2026-03-01T09:55:00Z', '2026-03-01T10:00:00Z',
       '2026-03-01T10:00:00Z'::timestamptz + $9::integer * interval '1 minute', $10,
       case when $11::boolean then '2026-03-01T12:00:00Z'::timestamptz end)
     returning id`,
    [
      t.workspaceId,
      flow.numberId,
      `+1555${Math.floor(Math.random() * 1e7)}`,
      flow.flowId,
      flow.v2Id,
      randomUUID(),
      options.status ?? 'handoff',
      options.isTest ?? false,
      firstReply?.after ?? null,
      options.holder ?? null,
      options.released ?? false,
    ],
  );
  const conversationId = (rows[0] as { id: string }).id;
  for (const reply of replies) {
    await t.db.query(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, body, status, created_at)
       select workspace_id, number_id, contact, id, 'out', $2::jsonb, $3,
         '2026-03-01T10:00:00Z'::timestamptz + $4::integer * interval '1 minute'
       from conversations where id = $1`,
      [
        conversationId,
        JSON.stringify({
          kind: 'agent',
          text: 'Hello, I can help.',
          agent: { id: reply.who.id, name: reply.name },
        }),
        reply.failed === true ? 'failed' : 'read',
        reply.after,
      ],
    );
  }
}

beforeAll(async () => {
  t = await startTestApi();
  flow = await seedFlow(t.db, t.workspaceId, 'Help desk');
  ana = await person('ana');
  rui = await person('rui');
  // Ana: answered after 2 min (holds it), after 10 min (then Rui too, later), after 30 min (back
  // with the bot now). Rui: answered first after 4 min, and holds one he has not answered yet.
  await handoff({
    holder: ana.id,
    replies: [
      { who: ana, name: 'Ana', after: 2 },
      { who: ana, name: 'Ana', after: 3 },
    ],
  });
  await handoff({
    holder: rui.id,
    replies: [
      { who: ana, name: 'Ana', after: 10 },
      { who: rui, name: 'Rui', after: 15 },
    ],
  });
  await handoff({ status: 'completed', replies: [{ who: ana, name: 'Ana', after: 30 }] });
  await handoff({ holder: rui.id, released: true, replies: [{ who: rui, name: 'Rui', after: 4 }] });
  await handoff({ holder: rui.id });
  // Nobody answered yet; a message refused (the hand-off had ended) is no reply.
  await handoff({ replies: [{ who: rui, name: 'Rui', after: 1, failed: true }] });
  // A live test's hand-off counts only with includeTest.
  await handoff({ isTest: true, holder: ana.id, replies: [{ who: ana, name: 'Ana', after: 1 }] });
});

afterAll(async () => {
  await t?.close();
});

describe('hand-offs in a flow’s analytics', () => {
  it('counts them, times the first replies and shows each person’s part', async () => {
    const reply = await t.admin.call('get', `/flows/${flow.flowId}/analytics`);
    expect(reply.status).toBe(200);
    expect(reply.body.handoffs).toEqual({
      total: 6,
      // Not closed and not back with the bot: the released one and the completed one are not open.
      open: 4,
      answered: 4,
      // First replies after 2, 10, 30 and 4 minutes: 120, 240, 600, 1800 s.
      medianSecondsToFirstReply: 420,
      p90SecondsToFirstReply: 1440,
      agents: [
        // As many hand-offs each: by name.
        { id: ana.id, name: 'Ana', taken: 3, replies: 4, medianSecondsToFirstReply: 600 },
        { id: rui.id, name: 'Rui', taken: 3, replies: 2, medianSecondsToFirstReply: 240 },
      ],
    });
    expect(reply.body.byStatus.handoff).toBe(4);

    const withTests = await t.admin.call('get', `/flows/${flow.flowId}/analytics?includeTest=true`);
    expect(withTests.body.handoffs).toMatchObject({ total: 7, open: 5, answered: 5 });
    expect(withTests.body.handoffs.agents[0]).toEqual({
      id: ana.id,
      name: 'Ana',
      taken: 4,
      replies: 5,
      // Her first replies: after 1 (the test), 2, 10 and 30 minutes.
      medianSecondsToFirstReply: 360,
    });
  });

  it('a flow without hand-offs: zeros, null times, nobody', async () => {
    const quiet = await seedFlow(t.db, t.workspaceId, 'Quiet');
    const reply = await t.admin.call('get', `/flows/${quiet.flowId}/analytics`);
    expect(reply.body.handoffs).toEqual({
      total: 0,
      open: 0,
      answered: 0,
      medianSecondsToFirstReply: null,
      p90SecondsToFirstReply: null,
      agents: [],
    });
  });
});
