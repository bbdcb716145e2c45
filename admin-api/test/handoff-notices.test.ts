/**
 * Telling people outside the app that a contact waits for them, against real Postgres, a local
 * webhook receiver and a local SMTP server, with two API processes hearing the same bus as in a
 * scaled deployment: a hand-off announced on the bus opens one `handoff_started` alert at once,
 * sent once (signed webhook and email); taking or closing the hand-off resolves it; a person given
 * a conversation by someone else gets one email, and taking one yourself sends none.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { busChannels, type InboxActivity, publish } from '@parley/bus';
import { signRequest } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../../test/support/smtp-receiver.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const SIGNING_SECRET = 'handoff-signing-secret-9c2e';
const PUBLIC_URL = 'https://parley.clinic.example';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let api: TestApi;
let replica: Awaited<ReturnType<TestApi['replica']>>;
let smtp: SmtpReceiver;
let hook: { url: string; received: Received[]; close(): Promise<void> };
let numberId: string;
let flowId: string;
let versionId: string;

async function startWebhookReceiver(): Promise<typeof hook> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  hook = await startWebhookReceiver();
  api = await startTestApi({
    allowPrivateHttp: true,
    publicUrl: PUBLIC_URL,
    mail: { url: smtp.url, from: 'Parley <alerts@clinic.example>' },
  });
  replica = await api.replica();
  expect((await api.admin.call('patch', '/workspace', { signingSecret: SIGNING_SECRET })).status).toBe(200);
  const number = await api.admin.call('post', '/numbers', { phone: '+14155550160', label: 'Front desk' });
  numberId = number.body.id;
  flowId = (await api.admin.call('post', '/flows', { name: 'Intake' })).body.id;
  const { rows } = await api.db.query<{ id: string }>(
    `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum)
     values ($1, $2, 1, 'published', '{}'::jsonb, 'x') returning id`,
    [api.workspaceId, flowId],
  );
  versionId = (rows[0] as { id: string }).id;
});

afterAll(async () => {
  await replica?.close();
  await api?.close();
  await smtp?.close();
  await hook?.close();
});

/** A conversation handed to a person just now, as a runtime leaves it. */
async function handoff(contact: string, contactName: string | null, isTest = false): Promise<string> {
  const { rows } = await api.db.query<{ id: string }>(
    `insert into conversations (workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
       status, is_test, started_at, handoff_at)
     values ($1, $2, $3, $4, $5, $6, $7, 'handoff', $8, now() - interval '2 minutes', now()) returning id`,
    [api.workspaceId, numberId, contact, contactName, flowId, versionId, randomUUID(), isTest],
  );
  return (rows[0] as { id: string }).id;
}

/** What a runtime (or an API process) announces on the bus. */
async function announce(
  conversationId: string,
  contact: string,
  kind: InboxActivity['kind'],
  isTest = false,
) {
  await publish(api.bus, busChannels.inboxActivity, {
    workspaceId: api.workspaceId,
    conversationId,
    numberId,
    contact,
    kind,
    isTest,
    at: Date.now(),
  });
}

/** A person holds the conversation now, given by `by` (as the inbox API records it). */
async function assign(conversationId: string, userId: string, by: string): Promise<void> {
  await api.db.query(`update conversations set assigned_user_id = $2, assigned_at = now() where id = $1`, [
    conversationId,
    userId,
  ]);
  await api.db.query(
    `insert into audit_log (workspace_id, user_id, action, entity, entity_id, before, after)
     values ($1, $2, 'conversation.assign', 'conversation', $3, '{"assignedTo":null}'::jsonb, $4::jsonb)`,
    [api.workspaceId, by, conversationId, JSON.stringify({ assignedTo: userId })],
  );
}

/** Until both API processes are done with their alert passes (none holds or awaits the pass lock). */
async function passesDone(): Promise<void> {
  await expect
    .poll(async () => {
      const { rows } = await api.db.query<{ count: number }>(
        `select count(*)::integer as count from pg_locks
         where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
      );
      return rows[0]?.count;
    })
    .toBe(0);
}

function verify(received: Received): void {
  expect(received.headers['x-parley-signature']).toBe(
    signRequest(SIGNING_SECRET, {
      timestamp: received.headers['x-parley-timestamp'] as string,
      method: 'POST',
      url: `${hook.url}${received.path}`,
      body: received.body,
    }),
  );
}

const mailsTo = (email: string) => smtp.received.filter((mail) => JSON.stringify(mail.to).includes(email));

describe('a contact waiting for a person', () => {
  it('is alerted at once, once with two API processes, and resolved when someone takes it', async () => {
    const path = `/hook-${randomUUID()}`;
    const posts = () => hook.received.filter((received) => received.path === path);
    const rule = await api.admin.call('post', '/alert-rules', {
      name: 'Someone waits',
      kind: 'handoff_started',
      webhookUrl: `${hook.url}${path}`,
      emails: ['desk@clinic.example'],
    });
    expect(rule.status).toBe(201);
    expect(rule.body.params).toEqual({});

    const maria = await handoff('+351912000111', 'Maria');
    // A live test's hand-off alerts nobody.
    const test = await handoff('+351912000999', 'Tester', true);
    await announce(test, '+351912000999', 'handoff', true);
    await announce(maria, '+351912000111', 'handoff');

    await expect.poll(() => posts().length).toBe(1);
    const opened = posts()[0] as Received;
    verify(opened);
    const body = JSON.parse(opened.body);
    expect(body.alert).toMatchObject({
      status: 'open',
      kind: 'handoff_started',
      subject: `conversation:${maria}`,
    });
    expect(body.text).toBe(
      `Parley alert: Someone waits. A contact is waiting for a person: Maria (+351912000111) on WhatsApp number Front desk (+14155550160), handed over by the flow "Intake" just now. Open the Inbox in Parley to answer (${PUBLIC_URL}/inbox/${maria}).`,
    );
    await expect.poll(() => mailsTo('desk@clinic.example').length).toBe(1);
    expect(mailsTo('desk@clinic.example')[0]?.subject).toBe('Parley alert: Someone waits');
    expect(mailsTo('desk@clinic.example')[0]?.text).toContain('Maria (+351912000111)');

    // Both processes heard it, and the periodic pass runs too: still one alert, sent once.
    await passesDone();
    await api.api.runAlerts();
    const alerts = (await api.admin.call('get', '/alerts')).body.items.filter(
      (alert: { ruleId: string }) => alert.ruleId === rule.body.id,
    );
    expect(alerts).toHaveLength(1);
    expect(
      alerts[0].deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`),
    ).toEqual(['webhook:delivered', 'email:delivered']);
    expect(posts()).toHaveLength(1);
    expect(mailsTo('desk@clinic.example')).toHaveLength(1);

    // Someone takes it: resolved at once, with a notice.
    const editor = await api.member('editor');
    const editorId = (await editor.call('get', '/me')).body.id;
    await assign(maria, editorId, editorId);
    await announce(maria, '+351912000111', 'assigned');
    await expect.poll(() => posts().length).toBe(2);
    verify(posts()[1] as Received);
    expect(JSON.parse((posts()[1] as Received).body)).toMatchObject({
      alert: { status: 'resolved', subject: `conversation:${maria}` },
    });
    await expect.poll(() => mailsTo('desk@clinic.example').length).toBe(2);
    expect(mailsTo('desk@clinic.example')[1]?.subject).toBe('Resolved: Someone waits');
    await passesDone();
    expect(posts()).toHaveLength(2);

    // A hand-off closed before anyone took it resolves too.
    const joao = await handoff('+351912000222', null);
    await announce(joao, '+351912000222', 'handoff');
    await expect.poll(() => posts().length).toBe(3);
    expect(JSON.parse((posts()[2] as Received).body).text).toContain(
      'A contact is waiting for a person: +351912000222',
    );
    await api.db.query('update conversations set released_at = now() where id = $1', [joao]);
    await announce(joao, '+351912000222', 'released');
    await expect.poll(() => posts().length).toBe(4);
    expect(JSON.parse((posts()[3] as Received).body)).toMatchObject({
      alert: { status: 'resolved', subject: `conversation:${joao}` },
    });
    await passesDone();
    expect(posts()).toHaveLength(4);
    await api.admin.call('delete', `/alert-rules/${rule.body.id}`);
  });

  it('emails a person given a conversation by someone else, once; taking one yourself sends nothing', async () => {
    const email = `ana-${randomUUID().slice(0, 8)}@clinic.example`;
    const ana = await api.join(email, 'a long enough password', 'editor');
    const anaId = (await ana.call('get', '/me')).body.id;

    const given = await handoff('+351912000333', 'Rita');
    await assign(given, anaId, api.adminUserId);
    await announce(given, '+351912000333', 'assigned');
    await expect.poll(() => mailsTo(email).length).toBe(1);
    const mail = mailsTo(email)[0];
    expect(mail?.subject).toBe('Parley: Rita (+351912000333) is waiting for you');
    expect(mail?.text).toContain(
      'admin@parley.test gave you the conversation with Rita (+351912000333) on WhatsApp number Front desk (+14155550160), handed over by the flow "Intake".',
    );
    expect(mail?.text).toContain(`${PUBLIC_URL}/inbox/${given}`);

    // Taken by Ana herself: no email. The same assignment heard again: no second email.
    const taken = await handoff('+351912000444', 'Rui');
    await assign(taken, anaId, anaId);
    await announce(taken, '+351912000444', 'assigned');
    await announce(given, '+351912000333', 'assigned');
    await passesDone();
    const { rows } = await api.db.query<{ conversation_id: string; status: string }>(
      'select conversation_id, status from assignment_notices where user_id = $1',
      [anaId],
    );
    expect(rows).toEqual([{ conversation_id: given, status: 'sent' }]);
    expect(mailsTo(email)).toHaveLength(1);
  });
});
