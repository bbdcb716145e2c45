import { type BusChannel, busChannels, publish } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { sseReader } from './support/sse-reader.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/** Collects what is published on a bus channel. */
async function record(api: TestApi, channel: BusChannel) {
  const messages: Record<string, unknown>[] = [];
  const stop = await api.bus.subscribe(channel.name, (message) =>
    messages.push(message as Record<string, unknown>),
  );
  return { messages, stop };
}

describe('numbers API', () => {
  let api: TestApi;
  let admin: Client;
  let other: Client;
  let editor: Client;
  let viewer: Client;
  let publishedFlowId: string;
  let draftFlowId: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.admin;
    other = await api.otherWorkspace();
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    const published = await admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    publishedFlowId = published.body.id;
    expect((await admin.call('post', `/flows/${publishedFlowId}/publish`)).status).toBe(201);
    draftFlowId = (await admin.call('post', '/flows', { name: 'Draft only' })).body.id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('registers a number and lists it', async () => {
    expect((await admin.call('get', '/numbers')).body).toEqual({ items: [] });
    const created = await admin.call('post', '/numbers', { phone: '+14155550123', label: 'Sales' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      phone: '+14155550123',
      label: 'Sales',
      channel: 'whatsapp',
      state: 'disconnected',
      desiredConnected: false,
      settings: {},
      flow: null,
    });
    const list = await viewer.call('get', '/numbers');
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { id: string }) => n.id)).toEqual([created.body.id]);
    expect((await viewer.call('get', `/numbers/${created.body.id}`)).body).toEqual(created.body);
    const audit = await api.db.query(
      `select action, after from audit_log where entity = 'number' and entity_id = $1`,
      [created.body.id],
    );
    expect(audit.rows).toEqual([
      { action: 'number.create', after: { phone: '+14155550123', label: 'Sales' } },
    ]);
  });

  it('refuses invalid, duplicate and unauthorised registrations', async () => {
    const bad = await admin.call('post', '/numbers', { phone: '4155550123' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ pointer: '/body/phone' })]);
    expect((await admin.call('post', '/numbers', { phone: '+1415' })).status).toBe(400);
    expect((await admin.call('post', '/numbers', {})).status).toBe(400);
    expect((await admin.call('post', '/numbers', { phone: '+14155550199', extra: 1 })).status).toBe(400);
    await admin.call('post', '/numbers', { phone: '+14155550124' });
    const duplicate = await admin.call('post', '/numbers', { phone: '+14155550124' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    // Another workspace may register the same phone: the uniqueness is per workspace.
    expect((await other.call('post', '/numbers', { phone: '+14155550124' })).status).toBe(201);
    expect((await editor.call('post', '/numbers', { phone: '+14155550125' })).status).toBe(403);
    expect((await api.call('post', '/numbers', { body: { phone: '+14155550125' } })).status).toBe(401);
  });

  it('keeps each workspace’s numbers to itself', async () => {
    const mine = await admin.call('post', '/numbers', { phone: '+14155550130' });
    const theirs = await other.call('post', '/numbers', { phone: '+14155550131' });
    const id = theirs.body.id;
    expect((await admin.call('get', `/numbers/${id}`)).status).toBe(404);
    expect((await admin.call('patch', `/numbers/${id}`, { label: 'x' })).status).toBe(404);
    expect((await admin.call('delete', `/numbers/${id}`)).status).toBe(404);
    expect((await admin.call('post', `/numbers/${id}/connect`, {})).status).toBe(404);
    expect((await admin.call('post', `/numbers/${id}/logout`)).status).toBe(404);
    expect((await admin.call('put', `/numbers/${id}/flow`, { flowId: publishedFlowId })).status).toBe(404);
    expect((await admin.call('get', `/numbers/${id}/events`)).status).toBe(404);
    const listed = (await admin.call('get', '/numbers')).body.items.map((n: { id: string }) => n.id);
    expect(listed).toContain(mine.body.id);
    expect(listed).not.toContain(id);
    expect((await admin.call('get', '/numbers/not-a-uuid')).status).toBe(400);
  });

  it('changes the label and merges settings', async () => {
    const { body: number } = await admin.call('post', '/numbers', { phone: '+14155550140', label: 'Old' });
    const changed = await admin.call('patch', `/numbers/${number.id}`, {
      label: 'New',
      settings: { sendPerSecond: 0.5, sendBurst: 2 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ label: 'New', settings: { sendPerSecond: 0.5, sendBurst: 2 } });
    const merged = await admin.call('patch', `/numbers/${number.id}`, {
      settings: { sendBurst: null, sendPerSecond: 2 },
    });
    expect(merged.body).toMatchObject({ label: 'New', settings: { sendPerSecond: 2 } });
    expect(merged.body.settings).not.toHaveProperty('sendBurst');
    // A setting no runtime applies is refused, not stored and ignored.
    const unknown = await admin.call('patch', `/numbers/${number.id}`, { settings: { greeting: 'hello' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([
      {
        pointer: '/body/settings/greeting',
        message: '“greeting” is not a known setting here. Remove it or check its spelling.',
      },
    ]);
    const tooFast = await admin.call('patch', `/numbers/${number.id}`, { settings: { sendPerSecond: 100 } });
    expect(tooFast.status).toBe(400);
    expect((await admin.call('patch', `/numbers/${number.id}`, { label: null })).body.label).toBeNull();
    expect((await admin.call('patch', `/numbers/${number.id}`, { phone: '+14155550141' })).status).toBe(400);
    expect((await admin.call('patch', `/numbers/${number.id}`, { settings: 'x' })).status).toBe(400);
    expect((await editor.call('patch', `/numbers/${number.id}`, { label: 'Nope' })).status).toBe(403);
    const audit = await api.db.query(
      `select before, after from audit_log where action = 'number.update' and entity_id = $1 order by id`,
      [number.id],
    );
    expect(audit.rows[0]).toEqual({
      before: { label: 'Old', settings: {} },
      after: { label: 'New', settings: { sendPerSecond: 0.5, sendBurst: 2 } },
    });
  });

  it('assigns a published flow of the workspace to a number', async () => {
    const { body: number } = await admin.call('post', '/numbers', { phone: '+14155550150' });
    const flows = await record(api, busChannels.flows);
    const assigned = await editor.call('put', `/numbers/${number.id}/flow`, { flowId: publishedFlowId });
    expect(assigned.status).toBe(200);
    expect(assigned.body.flow).toEqual({ id: publishedFlowId, name: 'Intake', publishedVersion: 1 });
    expect(flows.messages).toEqual([{ numberId: number.id, flowId: publishedFlowId }]);
    expect(
      (await viewer.call('get', '/numbers')).body.items.find((n: { id: string }) => n.id === number.id).flow,
    ).toEqual({
      id: publishedFlowId,
      name: 'Intake',
      publishedVersion: 1,
    });
    const { rows } = await api.db.query('select flow_id from number_flows where number_id = $1', [number.id]);
    expect(rows).toEqual([{ flow_id: publishedFlowId }]);
    // The flows list says which flows reach anyone: one number answers with Intake now.
    const servingOf = async (flowId: string) =>
      (await viewer.call('get', '/flows')).body.items.find((f: { id: string }) => f.id === flowId)
        .servingNumbers;
    expect(await servingOf(publishedFlowId)).toBe(1);
    expect(await servingOf(draftFlowId)).toBe(0);

    const unpublished = await editor.call('put', `/numbers/${number.id}/flow`, { flowId: draftFlowId });
    expect(unpublished.status).toBe(422);
    const theirFlow = await other.call('post', '/flows', {
      name: 'Theirs',
      definition: intakeFlow('Theirs'),
    });
    await other.call('post', `/flows/${theirFlow.body.id}/publish`);
    expect(
      (await editor.call('put', `/numbers/${number.id}/flow`, { flowId: theirFlow.body.id })).status,
    ).toBe(422);
    expect((await editor.call('put', `/numbers/${number.id}/flow`, { flowId: 'nope' })).status).toBe(400);
    expect((await editor.call('put', `/numbers/${number.id}/flow`, {})).status).toBe(400);
    expect((await viewer.call('put', `/numbers/${number.id}/flow`, { flowId: publishedFlowId })).status).toBe(
      403,
    );

    const cleared = await editor.call('put', `/numbers/${number.id}/flow`, { flowId: null });
    expect(cleared.body.flow).toBeNull();
    expect(await servingOf(publishedFlowId)).toBe(0);
    expect(
      (await api.db.query('select 1 from number_flows where number_id = $1', [number.id])).rowCount,
    ).toBe(0);
    const audit = await api.db.query(
      `select before, after from audit_log where action = 'number.assign_flow' and entity_id = $1 order by id`,
      [number.id],
    );
    expect(audit.rows).toEqual([
      { before: { flowId: null }, after: { flowId: publishedFlowId } },
      { before: { flowId: publishedFlowId }, after: { flowId: null } },
    ]);
    await flows.stop();
  });

  it('asks a runtime to connect and log out, and refuses to delete a connected number', async () => {
    const { body: number } = await admin.call('post', '/numbers', { phone: '+14155550160' });
    const commands = await record(api, busChannels.sessionCommands);

    const connected = await admin.call('post', `/numbers/${number.id}/connect`, { method: 'qr' });
    expect(connected.status).toBe(202);
    expect(connected.body.desiredConnected).toBe(true);
    // No body at all is fine too; a pairing code goes to the number's own phone unless told otherwise.
    expect((await api.call('post', `/numbers/${number.id}/connect`, { token: admin.token })).status).toBe(
      202,
    );
    await admin.call('post', `/numbers/${number.id}/connect`, { method: 'pairing_code' });
    await admin.call('post', `/numbers/${number.id}/connect`, {
      method: 'pairing_code',
      phone: '+14155550161',
    });
    expect((await admin.call('post', `/numbers/${number.id}/connect`, { method: 'sms' })).status).toBe(400);
    expect((await admin.call('post', `/numbers/${number.id}/connect`, { phone: '12' })).status).toBe(400);
    expect((await editor.call('post', `/numbers/${number.id}/connect`, {})).status).toBe(403);
    expect(commands.messages).toEqual([
      { numberId: number.id, command: 'connect', method: 'qr' },
      { numberId: number.id, command: 'connect' },
      { numberId: number.id, command: 'connect', method: 'pairing_code', phone: '+14155550160' },
      { numberId: number.id, command: 'connect', method: 'pairing_code', phone: '+14155550161' },
    ]);
    const events = await api.db.query<{ state: string; detail: Record<string, unknown> }>(
      'select state, detail from session_events where number_id = $1 order by id',
      [number.id],
    );
    expect(events.rows[0]).toEqual({
      state: 'connect_requested',
      detail: { userId: api.adminUserId, method: 'qr' },
    });

    const refused = await admin.call('delete', `/numbers/${number.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/log it out/i);

    const loggedOut = await admin.call('post', `/numbers/${number.id}/logout`);
    expect(loggedOut.status).toBe(202);
    expect(loggedOut.body.desiredConnected).toBe(false);
    expect(commands.messages.at(-1)).toEqual({ numberId: number.id, command: 'logout' });
    expect(
      (
        await api.db.query('select state from session_events where number_id = $1 order by id desc limit 1', [
          number.id,
        ])
      ).rows,
    ).toEqual([{ state: 'logout_requested' }]);

    // A runtime still reports the session as connected: deleting waits until it is really down.
    await api.db.query(`update numbers set state = 'connected' where id = $1`, [number.id]);
    expect((await admin.call('delete', `/numbers/${number.id}`)).status).toBe(409);
    await api.db.query(`update numbers set state = 'logged_out' where id = $1`, [number.id]);
    expect((await editor.call('delete', `/numbers/${number.id}`)).status).toBe(403);
    expect((await admin.call('delete', `/numbers/${number.id}`)).status).toBe(204);
    expect((await admin.call('get', `/numbers/${number.id}`)).status).toBe(404);
    const audit = await api.db.query(`select action from audit_log where entity_id = $1 order by id`, [
      number.id,
    ]);
    expect(audit.rows.map((row) => row.action)).toEqual([
      'number.create',
      'number.connect',
      'number.connect',
      'number.connect',
      'number.connect',
      'number.logout',
      'number.delete',
    ]);
    await commands.stop();
  });

  it('hides simulator session numbers', async () => {
    const session = await editor.call('post', '/simulator/sessions', { flowId: publishedFlowId, version: 1 });
    expect(session.status).toBe(201);
    const ids = (await admin.call('get', '/numbers')).body.items.map((n: { id: string }) => n.id);
    expect(ids).not.toContain(session.body.id);
    expect((await admin.call('get', `/numbers/${session.body.id}`)).status).toBe(404);
    expect((await admin.call('patch', `/numbers/${session.body.id}`, { label: 'x' })).status).toBe(404);
    expect((await admin.call('delete', `/numbers/${session.body.id}`)).status).toBe(404);
  });

  it('streams the session state over Server-Sent Events', async () => {
    const { body: number } = await admin.call('post', '/numbers', { phone: '+14155550170' });
    await api.db.query(
      `insert into session_events (workspace_id, number_id, state, detail) values ($1, $2, 'qr_pending', '{"qr":"data:image/png;base64,AAA"}')`,
      [api.workspaceId, number.id],
    );
    await api.db.query(`update numbers set state = 'qr_pending' where id = $1`, [number.id]);
    const channel = busChannels.session(number.id);
    const listeners = () =>
      (api.bus as unknown as { emitter: { listenerCount(name: string): number } }).emitter.listenerCount(
        channel.name,
      );

    const controller = new AbortController();
    const response = await fetch(`${api.base}/numbers/${number.id}/events`, {
      headers: { authorization: `Bearer ${viewer.token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseReader(response);
    const first = await events.next();
    expect(first.event).toBe('state');
    expect(first.data).toMatchObject({ state: 'qr_pending', qr: 'data:image/png;base64,AAA' });
    expect(listeners()).toBe(1);

    await publish(api.bus, channel, {
      numberId: number.id,
      state: 'qr_pending',
      qr: 'data:image/png;base64,BBB',
      at: 1_790_000_000_000,
    });
    // Not a session update (no state): dropped, never streamed.
    await api.bus.publish(channel.name, { numberId: number.id, qr: 'data:image/png;base64,CCC', at: 1 });
    await publish(api.bus, channel, {
      numberId: number.id,
      state: 'qr_pending',
      pairingCode: 'ABCD-EFGH',
      at: 1_790_000_001_000,
    });
    await publish(api.bus, channel, {
      numberId: number.id,
      state: 'connected',
      detail: 'Linked as Shop',
      at: 1_790_000_005_000,
    });
    expect(await events.next()).toEqual({
      event: 'state',
      data: { state: 'qr_pending', qr: 'data:image/png;base64,BBB', at: 1_790_000_000_000 },
    });
    expect((await events.next()).data).toEqual({
      state: 'qr_pending',
      pairingCode: 'ABCD-EFGH',
      at: 1_790_000_001_000,
    });
    expect((await events.next()).data).toEqual({
      state: 'connected',
      detail: 'Linked as Shop',
      at: 1_790_000_005_000,
    });

    controller.abort();
    // The abort has already ended the stream; cancelling it again may reject, and that is the point.
    await events.cancel().catch(() => undefined);
    const started = Date.now();
    while (listeners() > 0 && Date.now() - started < 5000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(listeners()).toBe(0);

    expect((await api.call('get', `/numbers/${number.id}/events`)).status).toBe(401);
  });

  it('shows the reason of a state alike in the list and the event stream, and cancels a connection', async () => {
    const commands = await record(api, busChannels.sessionCommands);
    const { body: number } = await admin.call('post', '/numbers', { phone: '+14155550180' });
    expect(number).toMatchObject({ state: 'disconnected', reason: null, hasSession: false });
    await admin.call('post', `/numbers/${number.id}/connect`, {});
    const reason = {
      code: 'web_unreachable',
      message: 'The server cannot reach WhatsApp Web.',
      nextStep: 'Check that the server is online. Parley tries again by itself.',
      detail: 'the name web.whatsapp.com could not be found (DNS) (ENOTFOUND)',
      attempt: 2,
      maxAttempts: 5,
      retryAt: '2026-12-05T10:00:00.000Z',
    };
    // What a runtime records on a failed attempt.
    await api.db.query(`update numbers set state = 'reconnecting', state_reason = $2 where id = $1`, [
      number.id,
      JSON.stringify(reason),
    ]);
    await api.db.query(
      `insert into session_events (workspace_id, number_id, state, detail) values ($1, $2, 'reconnecting', $3)`,
      [api.workspaceId, number.id, JSON.stringify({ message: 'unreachable', reason })],
    );
    const listed = (await viewer.call('get', '/numbers')).body.items.find(
      (n: { id: string }) => n.id === number.id,
    );
    expect(listed).toMatchObject({ state: 'reconnecting', reason, hasSession: false });

    const controller = new AbortController();
    const response = await fetch(`${api.base}/numbers/${number.id}/events`, {
      headers: { authorization: `Bearer ${viewer.token}` },
      signal: controller.signal,
    });
    const events = sseReader(response);
    expect((await events.next()).data).toMatchObject({ state: 'reconnecting', reason });
    const failed = {
      ...reason,
      attempt: 5,
      nextStep: 'Check that the server is online, then press Try again.',
    };
    await publish(api.bus, busChannels.session(number.id), {
      numberId: number.id,
      state: 'failed',
      reason: { ...failed, code: 'web_unreachable' as const },
      at: 1_790_000_000_000,
    });
    expect((await events.next()).data).toEqual({ state: 'failed', reason: failed, at: 1_790_000_000_000 });
    controller.abort();
    await events.cancel().catch(() => undefined);

    const cancelled = await admin.call('post', `/numbers/${number.id}/cancel`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.desiredConnected).toBe(false);
    expect(commands.messages.at(-1)).toEqual({ numberId: number.id, command: 'cancel' });
    expect((await editor.call('post', `/numbers/${number.id}/cancel`)).status).toBe(403);
    const audit = await api.db.query(`select action from audit_log where entity_id = $1 order by id`, [
      number.id,
    ]);
    expect(audit.rows.map((row) => row.action)).toEqual(['number.create', 'number.connect', 'number.cancel']);
    await commands.stop();
  });

  it('documents the routes in the OpenAPI document', async () => {
    const { body } = await api.call('get', '/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/numbers',
        '/numbers/{id}',
        '/numbers/{id}/connect',
        '/numbers/{id}/cancel',
        '/numbers/{id}/logout',
        '/numbers/{id}/flow',
        '/numbers/{id}/events',
        '/simulator/sessions',
        '/simulator/sessions/{id}',
        '/simulator/sessions/{id}/messages',
        '/conversations',
        '/conversations/{id}',
        '/conversations/{id}/release',
      ]),
    );
    expect(body.paths['/numbers/{id}/events'].get.responses['200'].content).toHaveProperty([
      'text/event-stream',
    ]);
    expect(body.paths['/numbers'].post['x-parley-role']).toBe('admin');
    expect(body.paths['/numbers/{id}/flow'].put['x-parley-role']).toBe('editor');
  });
});
