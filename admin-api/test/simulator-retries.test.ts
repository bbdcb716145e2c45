import { randomUUID } from 'node:crypto';
import { busChannels, type SimulatorInbound } from '@parley/bus';
import { createPgDb } from '@parley/db';
import { TEST_POSTGRES_URL } from '@parley/db/testing';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

/** Sends a typed message as the UI does: with an Idempotency-Key, reused on a retry. */
function sayWithKey(api: TestApi, client: Client, sessionId: string, text: string, key: string) {
  return api.call('post', `/simulator/sessions/${sessionId}/messages`, {
    token: client.token,
    body: { text },
    headers: { 'idempotency-key': key },
  });
}

async function inboundTexts(api: TestApi, sessionId: string): Promise<string[]> {
  const { rows } = await api.db.query<{ text: string }>(
    `select body->>'text' as text from messages where number_id = $1 and direction = 'in' order by id`,
    [sessionId],
  );
  return rows.map((row) => row.text);
}

describe('retrying writes with an Idempotency-Key', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;
  let flowId: string;

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
    const created = await editor.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    flowId = created.body.id;
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  async function startSession(): Promise<string> {
    const session = await editor.call('post', '/simulator/sessions', {
      flowId,
      contact: { name: 'Ann' },
    });
    expect(session.status).toBe(201);
    return session.body.id;
  }

  it('stores a retried message once and answers the retry with the same reply', async () => {
    const id = await startSession();
    const key = randomUUID();
    const first = await sayWithKey(api, editor, id, 'hi', key);
    expect(first.status).toBe(200);
    expect(first.body.messages).toEqual([{ text: 'Hi Ann!' }, { text: 'What’s your email?' }]);

    const retry = await sayWithKey(api, editor, id, 'hi', key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    // The next question gets its own answer, not the retried message.
    const next = await sayWithKey(api, editor, id, 'ann@example.com', randomUUID());
    expect(next.body.answers).toEqual({ email: 'ann@example.com' });
    expect(await inboundTexts(api, id)).toEqual(['hi', 'ann@example.com']);
  });

  it('refuses the same key with a different message, in plain words', async () => {
    const id = await startSession();
    const key = randomUUID();
    expect((await sayWithKey(api, editor, id, 'hi', key)).status).toBe(200);
    const reused = await sayWithKey(api, editor, id, 'Lisbon', key);
    expect(reused.status).toBe(422);
    expect(reused.body.error.message).toBe(
      'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    );
    expect(await inboundTexts(api, id)).toEqual(['hi']);
  });

  it('forgets a key after 24 hours', async () => {
    const key = randomUUID();
    const create = (name: string) =>
      api.call('post', '/flows', {
        token: editor.token,
        body: { name, definition: intakeFlow(name) },
        headers: { 'idempotency-key': key },
      });
    expect((await create('First')).status).toBe(201);
    await api.db.query(
      `update idempotency_keys set created_at = now() - interval '25 hours' where key = $1`,
      [key],
    );
    const later = await create('Second');
    expect(later.status).toBe(201);
    expect(later.body.name).toBe('Second');
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('keeps keys per user: another editor’s same key is another request', async () => {
    const id = await startSession();
    const key = randomUUID();
    const colleague = await api.member('editor');
    expect((await sayWithKey(api, editor, id, 'hi', key)).status).toBe(200);
    const theirs = await sayWithKey(api, colleague, id, 'hi', key);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await inboundTexts(api, id)).toEqual(['hi', 'hi']);
  });

  it('publishes once when a publish is retried with its key', async () => {
    const created = await editor.call('post', '/flows', { name: 'Publish me', definition: intakeFlow() });
    const key = randomUUID();
    const publish = () =>
      api.call('post', `/flows/${created.body.id}/publish`, {
        token: editor.token,
        headers: { 'idempotency-key': key },
      });
    const first = await publish();
    expect(first.status).toBe(201);
    const retry = await publish();
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const versions = await editor.call('get', `/flows/${created.body.id}/versions`);
    expect(versions.body.items ?? versions.body).toHaveLength(1);
  });

  it('returns every message of a turn that hits the cap, and says the conversation failed', async () => {
    const ids = [...Array.from({ length: 60 }, (_, n) => `m${n}`), 'end'];
    const long = await editor.call('post', '/flows', {
      name: 'Too long',
      definition: {
        schemaVersion: 1,
        name: 'Too long',
        settings: { fallbackText: 'Sorry, this flow sends too much.' },
        triggers: [{ id: 't1', type: 'any_message', target: 'm0' }],
        nodes: ids.map((id) =>
          id === 'end' ? { id, type: 'end', config: {} } : { id, type: 'message', config: { text: id } },
        ),
        edges: ids
          .slice(1)
          .map((target, n) => ({ id: `e${n}`, source: ids[n], sourceHandle: 'next', target })),
      },
    });
    const validation = await editor.call('post', `/flows/${long.body.id}/validate`);
    expect(JSON.stringify(validation.body)).toContain(
      'Trigger “t1” starts a path that sends more than 50 messages at once.',
    );
    const session = await editor.call('post', '/simulator/sessions', { flowId: long.body.id });
    const reply = await sayWithKey(api, editor, session.body.id, 'hi', randomUUID());
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('failed');
    expect(reply.body.messages).toHaveLength(51);
    expect(reply.body.messages.at(-1)).toEqual({ text: 'Sorry, this flow sends too much.' });
    const transcript = await editor.call('get', `/simulator/sessions/${session.body.id}`);
    expect(transcript.body.truncated).toBe(false);
    expect(transcript.body.messages).toHaveLength(52);
  });

  it('refuses a key that is not printable text', async () => {
    const id = await startSession();
    const reply = await sayWithKey(api, editor, id, 'hi', 'two words');
    expect(reply.status).toBe(400);
    expect(reply.body.error.details[0].message).toMatch(/printable characters/);
    expect(await inboundTexts(api, id)).toEqual([]);
  });

  it('documents the header and its answers in the OpenAPI document', async () => {
    const document = await api.call('get', '/openapi.json');
    const operation = document.body.paths['/simulator/sessions/{id}/messages'].post;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '202', '409', '422']));
  });
});

describe('a message recorded just before Postgres stops answering', () => {
  let api: TestApi;
  let runtime: RuntimeService | undefined;
  const admin = createPgDb({ connectionString: TEST_POSTGRES_URL, max: 1 });
  let database: string;

  beforeAll(async () => {
    api = await startTestApi({ simulatorTimeoutMs: 8_000 });
    const { rows } = await api.db.query<{ name: string }>('select current_database() as name');
    database = (rows[0] as { name: string }).name;
  });

  afterEach(async () => {
    await admin.query(`alter database ${database} with allow_connections true`);
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
    await admin.close();
  });

  it('answers 202 stored, reply pending, and the retry with the key gets the reply without a duplicate', async () => {
    const flow = await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    const session = await api.admin.call('post', '/simulator/sessions', {
      flowId: flow.body.id,
      contact: { name: 'Ann' },
    });
    const id = session.body.id;
    const key = randomUUID();
    // A runtime that records the message as the runtime's inbox does, confirms it, and then
    // never answers (it stopped before the turn).
    const receipts: string[] = [];
    const stopStandIn = await api.bus.subscribe(busChannels.simulatorInbound.name, (payload) => {
      const message = payload as SimulatorInbound;
      void api.db
        .query(
          `insert into messages (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
           select workspace_id, id, $2, 'in', $3, 'text', $4::jsonb, 'received' from numbers where id = $1
           on conflict do nothing`,
          [
            message.numberId,
            message.contact,
            message.id,
            JSON.stringify({ text: message.text, contactName: message.contactName, sentAt: message.sentAt }),
          ],
        )
        .then(() =>
          api.bus.publish(busChannels.simulatorReceipts(message.numberId).name, {
            id: message.id,
            result: 'accepted',
          }),
        )
        .then(() => receipts.push(message.id));
    });
    const sending = sayWithKey(api, api.admin, id, 'hi', key);
    for (let tries = 0; receipts.length === 0; tries += 1) {
      if (tries > 200) throw new Error('the message was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await stopStandIn();
    // The API reads its row back at once; then Postgres goes away: no new connections, the open ones cut.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await admin.query(`alter database ${database} with allow_connections false`);
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    const answered = await sending;
    expect(answered.status).toBe(202);
    expect(answered.body).toEqual({
      stored: true,
      replyPending: true,
      message: expect.stringMatching(/database did not answer/),
    });

    await admin.query(`alter database ${database} with allow_connections true`);
    runtime = await startTestRuntime(api.db, api.bus);
    const retry = await sayWithKey(api, api.admin, id, 'hi', key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body.messages).toEqual([{ text: 'Hi Ann!' }, { text: 'What’s your email?' }]);
    expect(await inboundTexts(api, id)).toEqual(['hi']);
  });
});
