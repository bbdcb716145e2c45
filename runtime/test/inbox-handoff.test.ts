import { busChannels, type ConnectedBus, connectBus, type InboxActivity } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMessage, handoffFlow, insertControl } from './support/inbox-control.js';
import { internalAuth } from './support/internal-token.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { settle, waitUntil } from './support/verify.js';

interface Row {
  id: number;
  direction: 'in' | 'out';
  type: string;
  status: string;
  text: string | null;
  kind: string | null;
  agent: { id: string; name: string } | null;
  idempotency_key: string | null;
  last_error: string | null;
}

describe('a hand-off answered from the inbox (simulator number)', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;
  let bus: ConnectedBus;
  let workspaceId: string;
  let numberId: string;
  const activity: InboxActivity[] = [];

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ workspaceId, numberId } = await seedPublishedFlow(env.database.db, handoffFlow));
    bus = await connectBus({ redisUrl: env.redis.url, prefix: env.redis.prefix, db: env.database.db });
    await bus.bus.subscribe(busChannels.inboxActivity.name, (message) => {
      activity.push(message as InboxActivity);
    });
    runtime = await env.start();
  });

  afterAll(async () => {
    await bus?.close();
    await env?.cleanup();
  });

  const rowsOf = async (contact: string) =>
    (
      await env.database.db.query<Row>(
        `select id, direction, type, status, body->>'text' as text, body->>'kind' as kind, body->'agent' as agent,
           idempotency_key, last_error
         from messages where number_id = $1 and contact = $2 order by id`,
        [numberId, contact],
      )
    ).rows;

  const conversationOf = async (contact: string) =>
    (
      await env.database.db.query<{
        id: string;
        status: string;
        variables: Record<string, unknown>;
        handoff_at: Date | null;
        first_agent_reply_at: Date | null;
      }>(
        'select id, status, variables, handoff_at, first_agent_reply_at from conversations where number_id = $1 and contact = $2',
        [numberId, contact],
      )
    ).rows;

  const post = async (contact: string, id: string, text: string) => {
    const response = await fetch(`${runtime.base}/simulator/numbers/${numberId}/messages`, {
      method: 'POST',
      headers: { ...internalAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ contact, id, text }),
    });
    expect(response.status).toBe(202);
  };

  async function handOff(contact: string) {
    await post(contact, `${contact}-1`, 'hi');
    await settle(env.database.db, numberId);
    await post(contact, `${contact}-2`, 'Ana');
    await settle(env.database.db, numberId);
    const [conversation] = await conversationOf(contact);
    expect(conversation?.status).toBe('handoff');
    return conversation as NonNullable<typeof conversation>;
  }

  it('sends the agent’s message with their name, marks it delivered and records the first reply', async () => {
    const contact = '+15550200001';
    const conversation = await handOff(contact);
    expect(conversation.handoff_at).not.toBeNull();
    expect(conversation.first_agent_reply_at).toBeNull();

    const target = { workspaceId, numberId, contact };
    const id = await agentMessage(env.database.db, bus.bus, target, 'Hi Ana, Rita here.');
    await waitUntil(
      'the agent message is delivered',
      async () =>
        (await rowsOf(contact)).some(
          (row) => row.idempotency_key === `${numberId}:${contact}:agent-${id}` && row.status === 'delivered',
        ),
      20_000,
    );
    const rows = await rowsOf(contact);
    const agentRow = rows.find((row) => row.kind === 'agent');
    expect(agentRow).toMatchObject({
      direction: 'out',
      text: 'Hi Ana, Rita here.',
      agent: { id: 'agent-user-1', name: 'Rita Agent' },
      last_error: null,
    });
    const [after] = await conversationOf(contact);
    expect(after?.status).toBe('handoff');
    expect(after?.first_agent_reply_at).not.toBeNull();
    // The control row is processed like any inbound and linked to the conversation.
    expect(rows.filter((row) => row.type === 'control').map((row) => row.status)).toEqual(['processed']);

    const mine = (kind: InboxActivity['kind']) =>
      activity.filter((event) => event.conversationId === conversation.id && event.kind === kind);
    await waitUntil('the inbox heard of the delivery', async () => mine('delivery').length > 0, 10_000);
    expect(mine('handoff')).toHaveLength(1);
    expect(mine('agent_message')).toHaveLength(1);
    expect(mine('handoff')[0]).toMatchObject({ workspaceId, numberId, contact, isTest: true });
  });

  it('stores contact messages during a hand-off once and in order, among the agent’s, answering none', async () => {
    const contact = '+15550200002';
    const conversation = await handOff(contact);
    const target = { workspaceId, numberId, contact };
    await post(contact, `${contact}-3`, 'hello?');
    await agentMessage(env.database.db, bus.bus, target, 'One moment.');
    await post(contact, `${contact}-4`, 'thanks');
    // The same message again (a channel retry) is a duplicate, not a second row.
    await post(contact, `${contact}-4`, 'thanks');
    await agentMessage(env.database.db, bus.bus, target, 'Done!');
    await settle(env.database.db, numberId);
    const rows = await rowsOf(contact);
    // What arrived (the contact's messages and the agent's actions) is processed once, in arrival order.
    expect(
      rows.filter((row) => row.direction === 'in').map((row) => [row.type, row.text, row.status]),
    ).toEqual([
      ['text', 'hi', 'processed'],
      ['text', 'Ana', 'processed'],
      ['text', 'hello?', 'processed'],
      ['control', 'One moment.', 'processed'],
      ['text', 'thanks', 'processed'],
      ['control', 'Done!', 'processed'],
    ]);
    expect(rows.filter((row) => row.direction === 'out').map((row) => [row.text, row.status])).toEqual([
      ['Your name?', 'sent'],
      ['A person will answer, Ana.', 'sent'],
      ['One moment.', 'delivered'],
      ['Done!', 'delivered'],
    ]);
    const contactMessages = activity.filter(
      (event) => event.conversationId === conversation.id && event.kind === 'contact_message',
    );
    expect(contactMessages).toHaveLength(2);
  });

  it('hands back to the bot at a block keeping the variables; a later agent message fails in words', async () => {
    const contact = '+15550200003';
    const conversation = await handOff(contact);
    const target = { workspaceId, numberId, contact };
    await insertControl(env.database.db, bus.bus, target, 'resume', { control: 'resume', nodeId: 'again' });
    await settle(env.database.db, numberId);
    const [resumed] = await conversationOf(contact);
    expect(resumed).toMatchObject({ status: 'active', variables: { name: 'Ana' } });
    const late = await agentMessage(env.database.db, bus.bus, target, 'Still there?');
    await settle(env.database.db, numberId);
    await post(contact, `${contact}-3`, 'no');
    await settle(env.database.db, numberId);
    const rows = (await rowsOf(contact)).filter((row) => row.type !== 'control');
    expect(rows.map((row) => [row.direction, row.text, row.status])).toEqual([
      ['in', 'hi', 'processed'],
      ['out', 'Your name?', 'sent'],
      ['in', 'Ana', 'processed'],
      ['out', 'A person will answer, Ana.', 'sent'],
      ['out', 'Anything else, Ana?', 'sent'],
      ['out', 'Still there?', 'failed'],
      ['in', 'no', 'processed'],
      ['out', 'Bye Ana.', 'sent'],
    ]);
    expect(rows.find((row) => row.text === 'Still there?')).toMatchObject({
      idempotency_key: `${numberId}:${contact}:agent-${late}`,
      last_error: 'Not sent: this conversation was no longer with a person (the bot took it over again).',
    });
    const [done] = await conversationOf(contact);
    expect(done?.status).toBe('completed');
    expect(
      activity.filter((event) => event.conversationId === conversation.id).map((event) => event.kind),
    ).toEqual(expect.arrayContaining(['handoff', 'resumed', 'agent_message']));
  });

  it('keeps the holder while the hand-off lasts; a new hand-off is unassigned again', async () => {
    const contact = '+15550200006';
    const conversation = await handOff(contact);
    const target = { workspaceId, numberId, contact };
    const { rows: users } = await env.database.db.query<{ id: string }>(
      `insert into users (email) values ('rita@example.com') returning id`,
    );
    await env.database.db.query(
      'update conversations set assigned_user_id = $2, assigned_at = now() where id = $1',
      [conversation.id, users[0]?.id],
    );
    const holder = async () =>
      (
        await env.database.db.query<{ assigned_user_id: string | null; handoff_at: Date }>(
          'select assigned_user_id, handoff_at from conversations where id = $1',
          [conversation.id],
        )
      ).rows[0];
    await agentMessage(env.database.db, bus.bus, target, 'I am on it.');
    await post(contact, `${contact}-3`, 'thanks');
    await settle(env.database.db, numberId);
    expect((await holder())?.assigned_user_id).toBe(users[0]?.id);
    // Handed back at the hand-off block itself: a new hand-off, waiting for whoever takes it.
    await insertControl(env.database.db, bus.bus, target, 'resume', { control: 'resume', nodeId: 'human' });
    await settle(env.database.db, numberId);
    const after = await holder();
    expect(after?.assigned_user_id).toBeNull();
    expect(after?.handoff_at.getTime()).toBeGreaterThan(conversation.handoff_at?.getTime() ?? 0);
  });

  it('outside the workspace’s business hours says when someone answers; the timeout counts from then', async () => {
    // Open only on the weekday three days from now (UTC), so now is certainly closed.
    const opening = new Date();
    opening.setUTCDate(opening.getUTCDate() + 3);
    opening.setUTCHours(9, 0, 0, 0);
    const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][opening.getUTCDay()] as string;
    const flow = { ...handoffFlow, settings: { handoff: { timeoutMinutes: 45 } } };
    const closed = await seedPublishedFlow(env.database.db, flow);
    await env.database.db.query('update workspaces set business_hours = $2::jsonb where id = $1', [
      closed.workspaceId,
      JSON.stringify({ timeZone: 'UTC', days: { [weekday]: [{ from: '09:00', to: '17:00' }] } }),
    ]);
    const contact = '+15550200005';
    for (const [id, text] of [
      ['closed-1', 'hi'],
      ['closed-2', 'Ana'],
    ]) {
      const response = await fetch(`${runtime.base}/simulator/numbers/${closed.numberId}/messages`, {
        method: 'POST',
        headers: { ...internalAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ contact, id, text }),
      });
      expect(response.status).toBe(202);
      await settle(env.database.db, closed.numberId);
    }
    const { rows } = await env.database.db.query<{ text: string }>(
      `select body->>'text' as text from messages where number_id = $1 and direction = 'out' order by id`,
      [closed.numberId],
    );
    const day = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' }).format(opening);
    expect(rows.map((row) => row.text)).toEqual([
      'Your name?',
      'A person will answer, Ana.',
      `Our team is away now. Someone will answer on ${day} at 09:00.`,
    ]);
    const { rows: timers } = await env.database.db.query<{ due_at: Date }>(
      'select due_at from timers where number_id = $1 and contact = $2',
      [closed.numberId, contact],
    );
    expect(timers.map((row) => row.due_at.getTime())).toEqual([opening.getTime() + 45 * 60_000]);
  });

  it('times out a hand-off nobody answers and takes it back into the flow', async () => {
    const flow = {
      ...handoffFlow,
      settings: { handoff: { timeoutMinutes: 1, timeoutText: 'Sorry {{name}}, nobody is free.' } },
      edges: [...handoffFlow.edges, { id: 'e3', source: 'human', sourceHandle: 'timeout', target: 'again' }],
    };
    const timed = await seedPublishedFlow(env.database.db, flow);
    const contact = '+15550200007';
    for (const [id, text] of [
      ['timed-1', 'hi'],
      ['timed-2', 'Ana'],
    ]) {
      const response = await fetch(`${runtime.base}/simulator/numbers/${timed.numberId}/messages`, {
        method: 'POST',
        headers: { ...internalAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ contact, id, text }),
      });
      expect(response.status).toBe(202);
      await settle(env.database.db, timed.numberId);
    }
    const texts = async () =>
      (
        await env.database.db.query<{ text: string }>(
          `select body->>'text' as text from messages where number_id = $1 and direction = 'out' order by id`,
          [timed.numberId],
        )
      ).rows.map((row) => row.text);
    // The shortest timeout is a minute: time passing is the behaviour under test.
    await waitUntil('the hand-off timed out', async () => (await texts()).length === 4, 90_000);
    expect(await texts()).toEqual([
      'Your name?',
      'A person will answer, Ana.',
      'Sorry Ana, nobody is free.',
      'Anything else, Ana?',
    ]);
    const { rows } = await env.database.db.query<{ id: string; status: string }>(
      'select id, status from conversations where number_id = $1',
      [timed.numberId],
    );
    expect(rows.map((row) => row.status)).toEqual(['active']);
    await waitUntil(
      'the inbox heard of the timeout',
      async () =>
        activity.some((event) => event.conversationId === rows[0]?.id && event.kind === 'timed_out'),
      10_000,
    );
  }, 120_000);

  it('closes the hand-off with a release and says so to the inbox', async () => {
    const contact = '+15550200004';
    const conversation = await handOff(contact);
    await insertControl(env.database.db, bus.bus, { workspaceId, numberId, contact }, 'release', {
      control: 'release',
    });
    await settle(env.database.db, numberId);
    await waitUntil(
      'the inbox heard of the release',
      async () =>
        activity.some((event) => event.conversationId === conversation.id && event.kind === 'released'),
      10_000,
    );
  });
});
