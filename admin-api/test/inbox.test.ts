/**
 * The inbox API: agents list and take hand-offs, answer them (text and files), pass them on, hand
 * them back to the bot and mark them read; one holder at a time, even when two people race. The
 * runtime's part (sending what the control rows ask) is not running here: the tests read the rows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busChannels, publish } from '@parley/bus';
import { LocalMediaStore } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { sseReader } from './support/sse-reader.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('the inbox API', () => {
  let api: TestApi;
  let media: LocalMediaStore;
  let ana: Client;
  let ben: Client;
  let anaId: string;
  let benId: string;
  let editor: Client;
  let viewer: Client;
  let flowId: string;
  let numberId: string;
  let phoneSeq = 0;

  /** An open hand-off as the runtime leaves it, with contact messages `said` (oldest first). */
  async function handoff(said: string[] = [], options: { isTest?: boolean; workspaceId?: string } = {}) {
    const id = randomUUID();
    phoneSeq += 1;
    const contact = `+1415555${String(1000 + phoneSeq).padStart(4, '0')}`;
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
         status, current_node, variables, answers, started_at, handoff_at, is_test)
       select $1, $2, $3, $4, 'Carla', $5, v.id, $6, 'handoff', 'n2', '{"plan":"pro"}', '{}',
         now() - interval '1 hour', now() - make_interval(mins => $7), $8
       from flow_versions v where v.flow_id = $5 and v.version = 1`,
      [
        id,
        options.workspaceId ?? api.workspaceId,
        numberId,
        contact,
        flowId,
        `engine-${id}`,
        60 - phoneSeq,
        options.isTest ?? false,
      ],
    );
    const messageIds: number[] = [];
    for (const text of said) messageIds.push(await message(id, contact, 'in', { text }));
    return { id, contact, messageIds };
  }

  /** A message row of a conversation, as the runtime writes it. */
  async function message(
    conversationId: string,
    contact: string,
    direction: 'in' | 'out',
    body: Record<string, unknown>,
  ): Promise<number> {
    const { rows } = await api.db.query<{ id: string }>(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, wa_message_id, type, body, status)
       values ($1, $2, $3, $4, $5, $6, 'text', $7::jsonb, $8) returning id`,
      [
        api.workspaceId,
        numberId,
        contact,
        conversationId,
        direction,
        direction === 'in' ? `wa-${randomUUID()}` : null,
        JSON.stringify(body),
        direction === 'in' ? 'processed' : 'delivered',
      ],
    );
    return Number((rows[0] as { id: string }).id);
  }

  async function controlRows(contact: string) {
    const { rows } = await api.db.query<{ wa_message_id: string; body: Record<string, unknown> }>(
      `select wa_message_id, body from messages where number_id = $1 and contact = $2 and type = 'control'
       and direction = 'in' and status = 'received' order by id`,
      [numberId, contact],
    );
    return rows;
  }

  async function holder(conversationId: string): Promise<string | null> {
    const { rows } = await api.db.query<{ assigned_user_id: string | null }>(
      'select assigned_user_id from conversations where id = $1',
      [conversationId],
    );
    return (rows[0] as { assigned_user_id: string | null }).assigned_user_id;
  }

  beforeAll(async () => {
    media = new LocalMediaStore(await mkdtemp(join(tmpdir(), 'parley-inbox-')));
    api = await startTestApi({ mediaMaxBytes: 64 * 1024 }, null, media);
    ana = await api.join(`ana-${randomUUID().slice(0, 6)}@shop.test`, 'a long enough password', 'agent');
    ben = await api.join(`ben-${randomUUID().slice(0, 6)}@shop.test`, 'a long enough password', 'agent');
    anaId = (await ana.call('get', '/me')).body.id;
    benId = (await ben.call('get', '/me')).body.id;
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    const flow = await api.admin.call('post', '/flows', {
      name: 'Support',
      definition: intakeFlow('Support'),
    });
    flowId = flow.body.id;
    expect((await api.admin.call('post', `/flows/${flowId}/publish`)).status).toBe(201);
    numberId = (await api.admin.call('post', '/numbers', { phone: '+14155550100', label: 'Shop' })).body.id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lets an agent answer contacts but not build or publish flows; a viewer cannot answer', async () => {
    const conversation = await handoff(['hello?']);
    expect((await ana.call('post', `/flows/${flowId}/publish`)).status).toBe(403);
    expect((await ana.call('post', '/flows', { name: 'Mine' })).status).toBe(403);
    expect((await ana.call('get', `/flows/${flowId}`)).status).toBe(200);
    const refused = await viewer.call('post', `/conversations/${conversation.id}/messages`, { text: 'Hi' });
    expect(refused.status).toBe(403);
    expect((await viewer.call('get', '/inbox')).status).toBe(403);
    expect(await controlRows(conversation.contact)).toEqual([]);
    const me = await ana.call('get', '/me');
    expect(me.body.role).toBe('agent');
  });

  it('names the people a conversation can be given to: agents, editors and admins, not viewers', async () => {
    const people = await ben.call('get', '/inbox/people');
    expect(people.status).toBe(200);
    const ids = people.body.items.map((person: { id: string }) => person.id);
    expect(ids).toEqual(expect.arrayContaining([anaId, benId, api.adminUserId]));
    expect(ids).toContain((await editor.call('get', '/me')).body.id);
    expect(ids).not.toContain((await viewer.call('get', '/me')).body.id);
    expect(people.body.items.find((person: { id: string }) => person.id === anaId).name).toMatch(/^ana-/);
    expect((await viewer.call('get', '/inbox/people')).status).toBe(403);
  });

  it('lists waiting hand-offs oldest first, the caller’s, and all, with unread counts and the last message', async () => {
    const older = await handoff(['I need help', 'anyone?']);
    const newer = await handoff(['hi']);
    const test = await handoff(['testing'], { isTest: true });
    await message(newer.id, newer.contact, 'out', { text: 'Someone will answer soon.' });

    const waiting = (await ana.call('get', '/inbox')).body.items;
    const ids = waiting.map((item: { id: string }) => item.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    expect(ids).toContain(test.id);
    expect(waiting.find((item: { id: string }) => item.id === older.id)).toMatchObject({
      contact: older.contact,
      contactName: 'Carla',
      flowId,
      flowName: 'Support',
      numberId,
      numberLabel: 'Shop',
      handoffAt: expect.any(String),
      assignedTo: null,
      unread: 2,
      lastMessage: { text: 'anyone?', direction: 'in', at: expect.any(String) },
      isTest: false,
    });
    expect(waiting.find((item: { id: string }) => item.id === newer.id).lastMessage).toMatchObject({
      text: 'Someone will answer soon.',
      direction: 'out',
    });
    expect(waiting.find((item: { id: string }) => item.id === test.id).isTest).toBe(true);
    const withoutTests = (await ana.call('get', '/inbox?includeTest=false')).body.items;
    expect(withoutTests.map((item: { id: string }) => item.id)).not.toContain(test.id);

    const before = (await ana.call('get', '/inbox/summary')).body;
    expect((await ana.call('put', `/conversations/${older.id}/assignee`, { userId: anaId })).status).toBe(
      200,
    );
    const mine = (await ana.call('get', '/inbox?view=mine')).body.items;
    expect(mine.map((item: { id: string }) => item.id)).toEqual([older.id]);
    expect(mine[0].assignedTo).toEqual({ id: anaId, name: expect.stringMatching(/^ana-/) });
    expect((await ana.call('get', '/inbox')).body.items.map((item: { id: string }) => item.id)).not.toContain(
      older.id,
    );
    expect(
      (await ben.call('get', '/inbox?view=all')).body.items.map((item: { id: string }) => item.id),
    ).toEqual(expect.arrayContaining([older.id, newer.id]));
    expect((await ana.call('get', '/inbox/summary')).body).toEqual({
      waiting: before.waiting - 1,
      mine: 1,
      unread: before.unread,
    });
    // Ben sees Ana's conversation as not his: neither waiting nor mine.
    expect((await ben.call('get', '/inbox/summary')).body).toEqual({
      waiting: before.waiting - 1,
      mine: 0,
      unread: before.unread - 2,
    });

    // Reading up to the first message leaves one unread; a mark never moves back.
    const read = await ana.call('post', `/conversations/${older.id}/read`, {
      messageId: older.messageIds[0],
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ id: older.id, readMessageId: older.messageIds[0], unread: 1 });
    await ana.call('post', `/conversations/${older.id}/read`, { messageId: older.messageIds[1] });
    const back = await ana.call('post', `/conversations/${older.id}/read`, {
      messageId: older.messageIds[0],
    });
    expect(back.body).toMatchObject({ readMessageId: older.messageIds[1], unread: 0 });
    const foreign = await ana.call('post', `/conversations/${older.id}/read`, {
      messageId: newer.messageIds[0],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toBe(
      'That message is not part of this conversation. Reload it and try again.',
    );
  });

  it('gives a conversation to exactly one of two agents taking it at once, and names the holder to the other', async () => {
    for (let round = 0; round < 5; round += 1) {
      const conversation = await handoff(['help']);
      const [first, second] = await Promise.all([
        ana.call('put', `/conversations/${conversation.id}/assignee`, { userId: anaId }),
        ben.call('put', `/conversations/${conversation.id}/assignee`, { userId: benId }),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [won, lost, winner] = first.status === 200 ? [first, second, anaId] : [second, first, benId];
      expect(won.body).toEqual({
        id: conversation.id,
        assignedTo: { id: winner, name: expect.any(String) },
        assignedAt: expect.any(String),
      });
      expect(lost.body.error.message).toBe(
        `${won.body.assignedTo.name} is answering this conversation. Ask them to pass it to you, or an editor or admin to reassign it.`,
      );
      expect(lost.body.error.details.assignedTo).toEqual(won.body.assignedTo);
      expect(await holder(conversation.id)).toBe(winner);
    }
  });

  it('sends one reply of two agents replying at once to a free conversation, and takes it for the sender', async () => {
    for (let round = 0; round < 5; round += 1) {
      const conversation = await handoff(['help']);
      const [first, second] = await Promise.all([
        ana.call('post', `/conversations/${conversation.id}/messages`, { text: 'Ana here' }),
        ben.call('post', `/conversations/${conversation.id}/messages`, { text: 'Ben here' }),
      ]);
      expect([first.status, second.status].sort()).toEqual([202, 409]);
      const [won, winner] = first.status === 202 ? [first, anaId] : [second, benId];
      expect(won.body).toEqual({ id: expect.any(String), status: 'queued' });
      const rows = await controlRows(conversation.contact);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toEqual({
        wa_message_id: `agent-${won.body.id}`,
        body: {
          control: 'agent_message',
          text: winner === anaId ? 'Ana here' : 'Ben here',
          agent: { id: winner, name: expect.stringMatching(winner === anaId ? /^ana-/ : /^ben-/) },
        },
      });
      expect(await holder(conversation.id)).toBe(winner);
    }
  });

  it('queues a retried reply once (same Idempotency-Key), and audits it without its text', async () => {
    const conversation = await handoff(['where is my order?']);
    const send = () =>
      api.call('post', `/conversations/${conversation.id}/messages`, {
        token: ana.token,
        body: { text: 'It ships today.' },
        headers: { 'idempotency-key': 'reply-ships-today' },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(await controlRows(conversation.contact)).toHaveLength(1);
    // Another key is another message.
    const other = await api.call('post', `/conversations/${conversation.id}/messages`, {
      token: ana.token,
      body: { text: 'It ships today.' },
      headers: { 'idempotency-key': 'reply-ships-today-2' },
    });
    expect(other.body.id).not.toBe(first.body.id);
    expect(await controlRows(conversation.contact)).toHaveLength(2);

    const { rows } = await api.db.query<{ action: string; after: Record<string, unknown> }>(
      `select action, after from audit_log where entity_id = $1 order by id`,
      [conversation.id],
    );
    expect(rows.map((row) => row.action)).toEqual(['conversation.reply', 'conversation.reply']);
    expect(rows[0]?.after).toEqual({ messageId: first.body.id, took: true });
    expect(JSON.stringify(rows)).not.toContain('ships');
  });

  it('refuses, in words, a reply over a colleague, to a conversation not with a person, or with nothing in it', async () => {
    const held = await handoff(['hi']);
    await ana.call('put', `/conversations/${held.id}/assignee`, { userId: anaId });
    const over = await ben.call('post', `/conversations/${held.id}/messages`, { text: 'Me too' });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/^ana-.* is answering this conversation\./);
    const untake = await ben.call('put', `/conversations/${held.id}/assignee`, { userId: null });
    expect(untake.status).toBe(409);
    // An editor may reassign; then Ben answers.
    const reassigned = await editor.call('put', `/conversations/${held.id}/assignee`, { userId: benId });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.assignedTo.id).toBe(benId);
    expect((await ben.call('post', `/conversations/${held.id}/messages`, { text: 'Ben now' })).status).toBe(
      202,
    );
    // Ben passes it back to no one.
    const freed = await ben.call('put', `/conversations/${held.id}/assignee`, { userId: null });
    expect(freed.body).toEqual({ id: held.id, assignedTo: null, assignedAt: null });

    const active = await handoff();
    await api.db.query(`update conversations set status = 'active' where id = $1`, [active.id]);
    const notHandedOff = await ana.call('post', `/conversations/${active.id}/messages`, { text: 'Hi' });
    expect(notHandedOff.status).toBe(409);
    expect(notHandedOff.body.error.message).toBe(
      'This conversation is not with a person (the bot has it, or it has ended), so it cannot be answered from the inbox.',
    );
    const released = await handoff();
    await api.db.query('update conversations set released_at = now() where id = $1', [released.id]);
    expect(
      (await ana.call('post', `/conversations/${released.id}/messages`, { text: 'Hi' })).body.error.message,
    ).toBe(
      'This hand-off was closed: the bot answers this contact again, so it cannot be answered from the inbox.',
    );
    const empty = await ana.call('post', `/conversations/${held.id}/messages`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('There is nothing to send: write a message or attach a file.');
    expect((await ana.call('post', `/conversations/${randomUUID()}/messages`, { text: 'Hi' })).status).toBe(
      404,
    );
  });

  it('assigns only to agents, editors and admins of the workspace', async () => {
    const conversation = await handoff();
    const viewerId = (await viewer.call('get', '/me')).body.id;
    const toViewer = await ana.call('put', `/conversations/${conversation.id}/assignee`, {
      userId: viewerId,
    });
    expect(toViewer.status).toBe(422);
    expect(toViewer.body.error.message).toBe(
      'A conversation can only be given to an agent, editor or admin of this workspace. Pick someone from the team.',
    );
    const stranger = await ana.call('put', `/conversations/${conversation.id}/assignee`, {
      userId: randomUUID(),
    });
    expect(stranger.status).toBe(422);
    // An agent passes a free conversation to a colleague; the audit says who had it and who has it.
    const passed = await ana.call('put', `/conversations/${conversation.id}/assignee`, { userId: benId });
    expect(passed.status).toBe(200);
    const { rows } = await api.db.query<{ before: unknown; after: unknown }>(
      `select before, after from audit_log where entity_id = $1 and action = 'conversation.assign'`,
      [conversation.id],
    );
    expect(rows).toEqual([{ before: { assignedTo: null }, after: { assignedTo: benId } }]);
  });

  it('sends pictures and documents uploaded first, refusing other types and files over the limit', async () => {
    const conversation = await handoff(['can you send the menu?']);
    const uploaded = await ana.call('post', `/conversations/${conversation.id}/attachments`, {
      name: '../Menü (final).png',
      mimeType: 'image/png',
      data: PNG.toString('base64'),
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      attachmentId: expect.stringMatching(/^[0-9a-f-]{36}-Menu_final_.png$/),
      name: 'Menu_final_.png',
      mimeType: 'image/png',
      size: PNG.length,
    });
    const sent = await ana.call('post', `/conversations/${conversation.id}/messages`, {
      text: 'Here it is',
      attachmentId: uploaded.body.attachmentId,
    });
    expect(sent.status).toBe(202);
    const [row] = await controlRows(conversation.contact);
    if (row === undefined) throw new Error('no reply was queued');
    const sentMedia = (row.body as { media: { url: string } }).media;
    expect(row.body).toMatchObject({
      control: 'agent_message',
      text: 'Here it is',
      media: { mimeType: 'image/png', name: 'Menu_final_.png', size: PNG.length },
    });
    expect(sentMedia.url).toBe(
      `parley-media://${api.workspaceId}/${sentMedia.url.split('/').at(-2)}/${uploaded.body.attachmentId}`,
    );
    expect(await media.get(sentMedia.url.slice('parley-media://'.length))).not.toBeNull();

    const video = await ana.call('post', `/conversations/${conversation.id}/attachments`, {
      name: 'clip.mp4',
      mimeType: 'video/mp4',
      data: PNG.toString('base64'),
    });
    expect(video.status).toBe(422);
    expect(video.body.error.message).toMatch(/^Files of type video\/mp4 cannot be sent from the inbox\./);
    const large = await ana.call('post', `/conversations/${conversation.id}/attachments`, {
      name: 'big.pdf',
      mimeType: 'application/pdf',
      data: Buffer.alloc(65 * 1024, 1).toString('base64'),
    });
    expect(large.status).toBe(413);
    expect(large.body.error.message).toBe(
      'The file is larger than 0.1 MB, the most that can be sent. Send a smaller file.',
    );
    // An attachment of another contact's conversation is not this one's.
    const elsewhere = await handoff();
    const misplaced = await ana.call('post', `/conversations/${elsewhere.id}/messages`, {
      attachmentId: uploaded.body.attachmentId,
    });
    expect(misplaced.status).toBe(422);
    expect(await controlRows(elsewhere.contact)).toEqual([]);
  });

  it('hands a conversation back to the bot at a block of its flow version', async () => {
    const conversation = await handoff(['thanks']);
    const missing = await ana.call('post', `/conversations/${conversation.id}/resume`, { nodeId: 'n99' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.message).toBe(
      'The flow version this conversation runs has no block “n99”. Pick one of its blocks to continue from.',
    );
    const resumed = await ana.call('post', `/conversations/${conversation.id}/resume`, { nodeId: 'n3' });
    expect(resumed.status).toBe(202);
    expect(resumed.body).toEqual({ id: conversation.id, resumeRequestedAt: expect.any(String) });
    const rows = await controlRows(conversation.contact);
    expect(rows).toEqual([
      { wa_message_id: expect.stringMatching(/^resume-/), body: { control: 'resume', nodeId: 'n3' } },
    ]);
    // Agents close hand-offs too, but not one a colleague holds.
    await ben.call('put', `/conversations/${conversation.id}/assignee`, { userId: benId });
    expect(
      (await ana.call('post', `/conversations/${conversation.id}/resume`, { nodeId: 'n3' })).status,
    ).toBe(409);
    const over = await ana.call('post', `/conversations/${conversation.id}/release`);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/^ben-.* is answering this conversation\./);
    expect((await ben.call('post', `/conversations/${conversation.id}/release`)).status).toBe(202);
  });

  it('shows who answered in the transcript, and hides the requests queued for the runtime', async () => {
    const conversation = await handoff(['hello']);
    await ana.call('post', `/conversations/${conversation.id}/messages`, { text: 'Hi, Ana here' });
    const agent = { id: anaId, name: 'ana' };
    await message(conversation.id, conversation.contact, 'out', { text: 'Hi, Ana here', agent });
    const detail = (await ana.call('get', `/conversations/${conversation.id}`)).body;
    expect(detail).toMatchObject({
      handoffAt: expect.any(String),
      assignedTo: { id: anaId, name: expect.stringMatching(/^ana-/) },
      firstAgentReplyAt: null,
      messageCount: 2,
    });
    expect(
      detail.messages.map((m: { type: string; agent: unknown; status: string }) => [
        m.type,
        m.agent,
        m.status,
      ]),
    ).toEqual([
      ['text', null, 'processed'],
      ['text', agent, 'delivered'],
    ]);
  });

  it('puts the hand-offs of a person who can no longer answer back in waiting', async () => {
    const email = `cleo-${randomUUID().slice(0, 6)}@shop.test`;
    const cleo = await api.join(email, 'a long enough password', 'agent');
    const cleoId = (await cleo.call('get', '/me')).body.id;
    const first = await handoff(['hi']);
    const second = await handoff(['hello']);
    await cleo.call('put', `/conversations/${first.id}/assignee`, { userId: cleoId });
    await cleo.call('put', `/conversations/${second.id}/assignee`, { userId: cleoId });
    const announced: unknown[] = [];
    const stop = await api.bus.subscribe(busChannels.inboxActivity.name, (activity) =>
      announced.push(activity),
    );

    expect((await api.admin.call('patch', `/users/${cleoId}`, { role: 'viewer' })).status).toBe(200);
    expect(await holder(first.id)).toBeNull();
    expect(await holder(second.id)).toBeNull();
    expect(announced).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ conversationId: first.id, kind: 'assigned' }),
        expect.objectContaining({ conversationId: second.id, kind: 'assigned' }),
      ]),
    );
    const { rows } = await api.db.query<{ after: unknown }>(
      `select after from audit_log where action = 'member.role_change' and entity_id = $1`,
      [cleoId],
    );
    expect(rows).toEqual([{ after: { email, role: 'viewer', conversationsFreed: 2 } }]);

    // Removed from the workspace: the same.
    expect((await api.admin.call('patch', `/users/${cleoId}`, { role: 'agent' })).status).toBe(200);
    const third = await handoff(['hey']);
    await api.db.query('update conversations set assigned_user_id = $2 where id = $1', [third.id, cleoId]);
    expect((await api.admin.call('delete', `/users/${cleoId}`)).status).toBe(204);
    expect(await holder(third.id)).toBeNull();
    await stop();
  });

  it('keeps saved replies per workspace, written by agents, with unique titles', async () => {
    const created = await ana.call('post', '/saved-replies', {
      title: 'Opening hours',
      body: 'We open at 9.',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Opening hours', body: 'We open at 9.' });
    const duplicate = await ben.call('post', '/saved-replies', { title: 'opening HOURS', body: 'Nine.' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toBe(
      'There is already a saved reply called “opening HOURS”. Pick another title.',
    );
    const second = await ben.call('post', '/saved-replies', { title: 'Address', body: 'Main street 1' });
    const changed = await ben.call('put', `/saved-replies/${created.body.id}`, {
      title: 'Opening hours',
      body: 'We open at 8.',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.body).toBe('We open at 8.');
    expect(
      (await ben.call('put', `/saved-replies/${second.body.id}`, { title: 'Opening Hours', body: 'x' }))
        .status,
    ).toBe(409);
    expect(
      (await ana.call('get', '/saved-replies')).body.items.map((r: { title: string }) => r.title),
    ).toEqual(['Address', 'Opening hours']);
    const elsewhere = await api.otherWorkspace();
    expect((await elsewhere.call('get', '/saved-replies')).body.items).toEqual([]);
    expect((await elsewhere.call('delete', `/saved-replies/${second.body.id}`)).status).toBe(404);
    expect((await ana.call('delete', `/saved-replies/${second.body.id}`)).status).toBe(204);
    expect((await viewer.call('get', '/saved-replies')).status).toBe(403);
    const blank = await ana.call('post', '/saved-replies', { title: ' ', body: 'x' });
    expect(blank.status).toBe(400);
  });

  it('lets another program reply with an editor API key', async () => {
    const conversation = await handoff(['hi']);
    const made = await api.admin.call('post', '/api-keys', { name: 'Helpdesk', role: 'editor' });
    const reply = await api.call('post', `/conversations/${conversation.id}/messages`, {
      token: made.body.key,
      body: { text: 'From the helpdesk' },
    });
    expect(reply.status).toBe(202);
    expect(await holder(conversation.id)).toBe(api.adminUserId);
    const viewerKey = await api.admin.call('post', '/api-keys', { name: 'Reports', role: 'viewer' });
    const refused = await api.call('post', `/conversations/${conversation.id}/messages`, {
      token: viewerKey.body.key,
      body: { text: 'No' },
    });
    expect(refused.status).toBe(403);
  });

  it('ends an open inbox stream when its person can no longer answer, and only then', async () => {
    const email = `cy-${randomUUID().slice(0, 6)}@shop.test`;
    const cy = await api.join(email, 'a long enough password', 'agent');
    const cyId = (await cy.call('get', '/me')).body.id as string;
    const response = await fetch(`${api.base}/inbox/events`, {
      headers: {
        authorization: `Bearer ${cy.token}`,
        ...(cy.workspace === undefined ? {} : { 'x-workspace-id': cy.workspace }),
      },
    });
    expect(response.status).toBe(200);
    const events = sseReader(response);
    // Promoted: the access changed, and the stream stays (it still hears the workspace).
    expect((await api.admin.call('patch', `/users/${cyId}`, { role: 'editor' })).status).toBe(200);
    const activity = {
      workspaceId: api.workspaceId,
      conversationId: randomUUID(),
      numberId,
      contact: '34600000001',
      kind: 'contact_message' as const,
      isTest: false,
      at: 1_790_000_000_000,
    };
    await publish(api.bus, busChannels.inboxActivity, activity);
    expect(await events.next()).toEqual({ event: 'activity', data: activity });
    // Demoted to viewer: the stream ends, and a new one is refused.
    expect((await api.admin.call('patch', `/users/${cyId}`, { role: 'viewer' })).status).toBe(200);
    await expect(events.next()).rejects.toThrow('the stream ended');
    expect((await cy.call('get', '/inbox/summary')).status).toBe(403);
  });

  it('streams an assignment and a runtime’s activity to the workspace’s open inboxes, and not to another workspace', async () => {
    const conversation = await handoff(['hi']);
    const elsewhere = await api.otherWorkspace();
    const controller = new AbortController();
    const open = (client: Client) =>
      fetch(`${api.base}/inbox/events`, {
        headers: {
          authorization: `Bearer ${client.token}`,
          ...(client.workspace === undefined ? {} : { 'x-workspace-id': client.workspace }),
        },
        signal: controller.signal,
      });
    const [benStream, otherStream] = await Promise.all([open(ben), open(elsewhere)]);
    expect(benStream.status).toBe(200);
    expect(benStream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const benEvents = sseReader(benStream);
    const otherEvents = sseReader(otherStream);

    expect(
      (await ana.call('put', `/conversations/${conversation.id}/assignee`, { userId: anaId })).status,
    ).toBe(200);
    expect(await benEvents.next()).toEqual({
      event: 'activity',
      data: {
        workspaceId: api.workspaceId,
        conversationId: conversation.id,
        numberId,
        contact: conversation.contact,
        kind: 'assigned',
        isTest: false,
        at: expect.any(Number),
      },
    });
    const fromRuntime = {
      workspaceId: api.workspaceId,
      conversationId: conversation.id,
      numberId,
      contact: conversation.contact,
      kind: 'contact_message' as const,
      isTest: false,
      at: 1_790_000_000_000,
    };
    await publish(api.bus, busChannels.inboxActivity, fromRuntime);
    expect(await benEvents.next()).toEqual({ event: 'activity', data: fromRuntime });

    // The other workspace's first event is its own: nothing of the first workspace reached it.
    const theirs = {
      ...fromRuntime,
      workspaceId: elsewhere.workspace as string,
      conversationId: randomUUID(),
    };
    await publish(api.bus, busChannels.inboxActivity, theirs);
    expect(await otherEvents.next()).toEqual({ event: 'activity', data: theirs });

    controller.abort();
    // The streams were aborted above; cancelling an aborted reader may reject, which changes nothing.
    await benEvents.cancel().catch(() => undefined);
    await otherEvents.cancel().catch(() => undefined);
  });
});
