import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Bus, busChannels } from '@parley/bus';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenFlow, handoffFlow, httpFlow, intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

describe('simulator API through a real runtime', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;
  let viewer: Client;
  let other: Client;
  let crm: Server;
  let crmCalls = 0;
  let intakeId: string;

  async function createFlow(client: Client, definition: { name: string }, publish = false): Promise<string> {
    const created = await client.call('post', '/flows', { name: definition.name, definition });
    expect(created.status).toBe(201);
    if (publish) expect((await client.call('post', `/flows/${created.body.id}/publish`)).status).toBe(201);
    return created.body.id;
  }

  async function startSession(flowId: string, body: Record<string, unknown> = {}) {
    const session = await editor.call('post', '/simulator/sessions', { flowId, ...body });
    expect(session.status).toBe(201);
    return session.body.id as string;
  }

  async function say(sessionId: string, text: string) {
    const reply = await editor.call('post', `/simulator/sessions/${sessionId}/messages`, { text });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  }

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    other = await api.otherWorkspace();
    crm = createServer((request, response) => {
      crmCalls += 1;
      request.resume();
      // Answers slowly: the simulator must wait for the turn that follows the http call.
      setTimeout(() => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 42 }));
      }, 300);
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    intakeId = await createFlow(editor, intakeFlow());
  });

  afterAll(async () => {
    await runtime?.stop();
    await new Promise((resolve) => crm?.close(resolve));
    await api?.close();
  });

  it('walks a draft to completion and returns the answers', async () => {
    const created = await editor.call('post', '/simulator/sessions', {
      flowId: intakeId,
      contact: { name: 'Ann', phone: '+14155550100' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ messages: [], status: 'none', version: 'draft', flowId: intakeId });
    const id = created.body.id;

    expect(await say(id, 'hi')).toEqual({
      messages: [{ text: 'Hi Ann!' }, { text: 'What’s your email?' }],
      notes: [],
      status: 'active',
      answers: {},
      variables: {},
    });
    expect((await say(id, 'not an email')).messages).toEqual([
      { text: 'Sorry, that is not a valid answer. Please try again.' },
    ]);
    expect(await say(id, 'ann@example.com')).toEqual({
      messages: [
        {
          text: 'Pick a plan',
          choices: [
            { id: 'c1', label: 'Basic', value: 'basic' },
            { id: 'c2', label: 'Pro', value: 'pro' },
          ],
          render: 'list',
        },
      ],
      notes: [],
      status: 'active',
      answers: { email: 'ann@example.com' },
      variables: { email: 'ann@example.com' },
    });
    expect(await say(id, '2')).toEqual({
      messages: [{ text: 'Thanks, Ann!' }],
      notes: [],
      status: 'completed',
      answers: { email: 'ann@example.com', plan: 'pro' },
      variables: { email: 'ann@example.com', plan: 'pro' },
    });

    const transcript = await editor.call('get', `/simulator/sessions/${id}`);
    expect(transcript.status).toBe(200);
    expect(transcript.body).toMatchObject({
      id,
      flowId: intakeId,
      version: 'draft',
      contact: { phone: '+14155550100', name: 'Ann' },
      status: 'completed',
      answers: { email: 'ann@example.com', plan: 'pro' },
    });
    expect(
      transcript.body.messages.map((m: { direction: string; text: string }) => `${m.direction}: ${m.text}`),
    ).toEqual([
      'in: hi',
      'out: Hi Ann!',
      'out: What’s your email?',
      'in: not an email',
      'out: Sorry, that is not a valid answer. Please try again.',
      'in: ann@example.com',
      'out: Pick a plan',
      'in: 2',
      'out: Thanks, Ann!',
    ]);

    // Stored as test data: left out of conversations unless asked for, answers flagged.
    const conversations = await editor.call('get', '/conversations');
    expect(conversations.body.items.filter((c: { numberId: string }) => c.numberId === id)).toEqual([]);
    const withTests = await editor.call('get', `/conversations?includeTest=true&numberId=${id}`);
    expect(withTests.body.items).toEqual([
      expect.objectContaining({
        numberId: id,
        flowId: intakeId,
        flowVersion: 0,
        status: 'completed',
        isTest: true,
        contactName: 'Ann',
      }),
    ]);
    const responses = await api.db.query('select answers, is_test from responses where flow_id = $1', [
      intakeId,
    ]);
    expect(responses.rows).toEqual([{ answers: { email: 'ann@example.com', plan: 'pro' }, is_test: true }]);
  });

  it('tests the draft as it is now, and published versions on request', async () => {
    const flowId = await createFlow(editor, intakeFlow('Versions'), true);
    const flow = await editor.call('get', `/flows/${flowId}`);
    const changed = intakeFlow('Versions');
    changed.nodes[0] = { id: 'n1', type: 'message', config: { text: 'Draft hello' } };
    const saved = await api.call('put', `/flows/${flowId}/draft`, {
      token: editor.token,
      headers: { 'if-match': flow.body.draft.etag },
      body: { definition: changed },
    });
    expect(saved.status).toBe(200);

    const draft = await startSession(flowId);
    expect((await say(draft, 'hi')).messages[0]).toEqual({ text: 'Draft hello' });
    const published = await startSession(flowId, { version: 1 });
    expect((await say(published, 'hi')).messages[0]).toEqual({ text: 'Hi !' });
    expect((await editor.call('get', `/simulator/sessions/${published}`)).body.version).toBe(1);
    // No published version is listed for a draft snapshot.
    expect(
      (await editor.call('get', `/flows/${flowId}/versions`)).body.items.map(
        (v: { version: number }) => v.version,
      ),
    ).toEqual([1]);
  });

  it('refuses drafts with errors, unknown versions and bad input', async () => {
    const broken = await createFlow(editor, brokenFlow());
    const refused = await editor.call('post', '/simulator/sessions', { flowId: broken });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors[0]).toMatchObject({ pointer: '/triggers/0/target' });
    expect((await editor.call('post', '/simulator/sessions', { flowId: intakeId, version: 7 })).status).toBe(
      404,
    );
    expect((await editor.call('post', '/simulator/sessions', { flowId: intakeId, version: 0 })).status).toBe(
      400,
    );
    expect(
      (await editor.call('post', '/simulator/sessions', { flowId: intakeId, version: 'latest' })).status,
    ).toBe(400);
    expect(
      (await editor.call('post', '/simulator/sessions', { flowId: intakeId, contact: { phone: '12' } }))
        .status,
    ).toBe(400);
    expect((await editor.call('post', '/simulator/sessions', {})).status).toBe(400);
    expect((await viewer.call('post', '/simulator/sessions', { flowId: intakeId })).status).toBe(403);
    const id = await startSession(intakeId);
    expect((await editor.call('post', `/simulator/sessions/${id}/messages`, { text: '' })).status).toBe(400);
    expect((await editor.call('post', `/simulator/sessions/${id}/messages`, {})).status).toBe(400);
    expect((await viewer.call('post', `/simulator/sessions/${id}/messages`, { text: 'hi' })).status).toBe(
      403,
    );
  });

  it('keeps sessions to their workspace', async () => {
    const id = await startSession(intakeId);
    expect((await other.call('get', `/simulator/sessions/${id}`)).status).toBe(404);
    expect((await other.call('post', `/simulator/sessions/${id}/messages`, { text: 'hi' })).status).toBe(404);
    expect((await other.call('delete', `/simulator/sessions/${id}`)).status).toBe(404);
    expect((await other.call('post', '/simulator/sessions', { flowId: intakeId })).status).toBe(404);
    expect((await editor.call('get', `/simulator/sessions/${id}`)).status).toBe(200);
    // A WhatsApp number is no session.
    const number = await api.admin.call('post', '/numbers', { phone: '+14155550190' });
    expect((await editor.call('get', `/simulator/sessions/${number.body.id}`)).status).toBe(404);
  });

  it('waits for the turns that follow http_request calls', async () => {
    const flowId = await createFlow(
      editor,
      httpFlow(`http://127.0.0.1:${(crm.address() as AddressInfo).port}/leads`),
    );
    const id = await startSession(flowId);
    const before = crmCalls;
    const reply = await say(id, 'crm');
    expect(crmCalls).toBe(before + 1);
    expect(reply).toMatchObject({ messages: [{ text: 'Saved as 42.' }], status: 'completed' });
    expect(reply.variables.crm).toEqual({ status: 201, body: { id: 42 } });
  });

  it('releases a hand-off: the runtime answers the contact again', async () => {
    const flowId = await createFlow(editor, handoffFlow());
    const id = await startSession(flowId);
    expect(await say(id, 'help')).toMatchObject({
      messages: [{ text: 'A human will take over.' }],
      status: 'handoff',
    });
    expect(await say(id, 'hi')).toMatchObject({ messages: [], status: 'handoff' });

    const conversation = (await editor.call('get', `/conversations?includeTest=true&numberId=${id}`)).body
      .items[0];
    expect(conversation.status).toBe('handoff');
    expect((await viewer.call('post', `/conversations/${conversation.id}/release`)).status).toBe(403);
    expect((await other.call('post', `/conversations/${conversation.id}/release`)).status).toBe(404);
    const inbound = await api.bus.subscribe(busChannels.inbound.name, () => undefined);
    const released = await editor.call('post', `/conversations/${conversation.id}/release`);
    await inbound();
    expect(released.status).toBe(202);
    expect(released.body.id).toBe(conversation.id);

    // The release reaches the runtime through the inbox, in order with the contact's messages.
    const reply = await say(id, 'hi');
    expect(reply).toMatchObject({
      messages: [{ text: 'Hello again!' }, { text: 'Bye.' }],
      status: 'completed',
    });
    const control = await api.db.query(
      `select status, body, conversation_id from messages where number_id = $1 and type = 'control'`,
      [id],
    );
    expect(control.rows).toEqual([
      { status: 'processed', body: { control: 'release' }, conversation_id: conversation.id },
    ]);
    // Only the contact's latest conversation can still be released.
    const again = await editor.call('post', `/conversations/${conversation.id}/release`);
    expect(again.status).toBe(409);
    const audit = await api.db.query(
      `select action from audit_log where entity = 'conversation' and entity_id = $1`,
      [conversation.id],
    );
    expect(audit.rows).toEqual([{ action: 'conversation.release' }]);
  });

  it('answers a turn too large for the bus from Postgres', async () => {
    const long = (letter: string) => letter.repeat(4_000);
    const flowId = await createFlow(editor, {
      schemaVersion: 1,
      name: 'Long replies',
      triggers: [{ id: 't1', type: 'any_message', target: 'm1' }],
      nodes: [
        { id: 'm1', type: 'message', config: { text: long('a') } },
        { id: 'm2', type: 'end', config: { text: long('b') } },
      ],
      edges: [{ id: 'e1', source: 'm1', sourceHandle: 'next', target: 'm2' }],
    } as { name: string });
    const id = await startSession(flowId);
    expect(await say(id, 'hi')).toEqual({
      messages: [{ text: long('a') }, { text: long('b') }],
      notes: [],
      status: 'completed',
      answers: {},
      variables: {},
    });
  });

  it('answers 404 once another API process ended the session', async () => {
    const id = await startSession(intakeId);
    expect((await say(id, 'hi')).status).toBe('active');
    // As another API process would: this one still has the session cached.
    await api.db.query('delete from numbers where id = $1', [id]);
    const reply = await editor.call('post', `/simulator/sessions/${id}/messages`, { text: 'a@b.co' });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('not_found');
  });

  it('deletes a session with its test data', async () => {
    const id = await startSession(intakeId, { contact: { name: 'Bo' } });
    expect((await say(id, 'hi')).status).toBe('active');
    const { rows } = await api.db.query<{ pinned_version_id: string }>(
      'select pinned_version_id from numbers where id = $1',
      [id],
    );
    const versionId = rows[0]?.pinned_version_id;
    expect((await viewer.call('delete', `/simulator/sessions/${id}`)).status).toBe(403);
    expect((await editor.call('delete', `/simulator/sessions/${id}`)).status).toBe(204);
    expect((await editor.call('get', `/simulator/sessions/${id}`)).status).toBe(404);
    expect((await editor.call('delete', `/simulator/sessions/${id}`)).status).toBe(404);
    expect((await api.db.query('select 1 from conversations where number_id = $1', [id])).rowCount).toBe(0);
    expect((await api.db.query('select 1 from flow_versions where id = $1', [versionId])).rowCount).toBe(0);
    const audit = await api.db.query(
      `select action from audit_log where entity = 'simulator_session' and entity_id = $1 order by id`,
      [id],
    );
    expect(audit.rows.map((row) => row.action)).toEqual(['simulator.start', 'simulator.end']);
  });
});

describe('simulator API when the runtime’s turn notifications are lost', () => {
  let api: TestApi;
  let runtime: RuntimeService;

  beforeAll(async () => {
    api = await startTestApi();
    // The runtime's bus drops everything it publishes to simulator clients.
    const lossy: Bus = {
      publish: (channel, message) =>
        channel.startsWith(busChannels.simulator('').name)
          ? Promise.resolve()
          : api.bus.publish(channel, message),
      subscribe: (channel, handler) => api.bus.subscribe(channel, handler),
      close: async () => undefined,
    };
    runtime = await startTestRuntime(api.db, lossy);
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  it('still answers each message, from Postgres', async () => {
    const flow = await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    const session = await api.admin.call('post', '/simulator/sessions', {
      flowId: flow.body.id,
      contact: { name: 'Cy' },
    });
    const say = (text: string) =>
      api.admin.call('post', `/simulator/sessions/${session.body.id}/messages`, { text });
    expect((await say('hi')).body).toEqual({
      messages: [{ text: 'Hi Cy!' }, { text: 'What’s your email?' }],
      notes: [],
      status: 'active',
      answers: {},
      variables: {},
    });
    expect((await say('cy@example.com')).body).toMatchObject({
      messages: [{ text: 'Pick a plan' }],
      answers: { email: 'cy@example.com' },
    });
  });
});

describe('simulator API without a runtime', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ simulatorTimeoutMs: 500 });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers 503 with a clear message when no runtime records the message, and stores nothing', async () => {
    const flow = await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    const session = await api.admin.call('post', '/simulator/sessions', { flowId: flow.body.id });
    const started = Date.now();
    const reply = await api.admin.call('post', `/simulator/sessions/${session.body.id}/messages`, {
      text: 'hi',
    });
    expect(reply.status).toBe(503);
    expect(reply.body.error.message).toMatch(/No runtime confirmed your message.*same Idempotency-Key/);
    expect(Date.now() - started).toBeLessThan(5000);
    // Only runtimes write the inbox: without one, nothing was written.
    const { rows } = await api.db.query('select 1 from messages where number_id = $1', [session.body.id]);
    expect(rows).toEqual([]);
  });
});
