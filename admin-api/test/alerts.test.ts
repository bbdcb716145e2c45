/**
 * Alert rules against real Postgres, a local webhook receiver (plain HTTP, as Slack and Teams take
 * it) and a local SMTP server: a number down for longer than the rule allows opens one alert, sent
 * once, signed; later passes send nothing more; the number coming back resolves it with a notice.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signRequest } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../../test/support/smtp-receiver.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const SIGNING_SECRET = 'alerts-signing-secret-5d1f';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint that keeps what it is sent; paths starting /broken answer 500. */
async function startWebhookReceiver(): Promise<{
  url: string;
  received: Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      response.statusCode = request.url?.startsWith('/broken') ? 500 : 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let api: TestApi;
let smtp: SmtpReceiver;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  hook = await startWebhookReceiver();
  api = await startTestApi({
    allowPrivateHttp: true,
    mail: { url: smtp.url, from: 'Parley <alerts@clinic.example>' },
  });
  expect((await api.admin.call('patch', '/workspace', { signingSecret: SIGNING_SECRET })).status).toBe(200);
});

afterAll(async () => {
  await api?.close();
  await smtp?.close();
  await hook?.close();
});

async function number(state: string, minutesAgo: number): Promise<{ id: string; phone: string }> {
  const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const { rows } = await api.db.query<{ id: string }>(
    `insert into numbers (workspace_id, phone, label, state, desired_connected, updated_at)
     values ($1, $2, 'Front desk', $3, true, now() - $4::integer * interval '1 minute') returning id`,
    [api.workspaceId, phone, state, minutesAgo],
  );
  return { id: (rows[0] as { id: string }).id, phone };
}

function verify(received: Received): void {
  const timestamp = received.headers['x-parley-timestamp'] as string;
  expect(received.headers['x-parley-signature']).toBe(
    signRequest(SIGNING_SECRET, {
      timestamp,
      method: 'POST',
      url: `${hook.url}${received.path}`,
      body: received.body,
    }),
  );
}

describe('alert rules', () => {
  it('opens one alert for a number down too long, sends it once, and resolves it when it is back', async () => {
    const path = `/hook-${randomUUID()}`;
    const rule = await api.admin.call('post', '/alert-rules', {
      name: 'Numbers down',
      kind: 'number_down',
      params: { minutes: 10 },
      webhookUrl: `${hook.url}${path}`,
      emails: ['ops@clinic.example'],
    });
    expect(rule.status).toBe(201);
    expect(rule.body.params).toEqual({ minutes: 10 });
    const recent = await number('disconnected', 5);
    const down = await number('disconnected', 30);

    await api.api.runAlerts();
    const posts = () => hook.received.filter((received) => received.path === path);
    expect(posts()).toHaveLength(1);
    const opened = posts()[0] as Received;
    verify(opened);
    const body = JSON.parse(opened.body);
    expect(body.text).toContain('Parley alert: Numbers down');
    expect(body.text).toContain(`Front desk (${down.phone}) has been disconnected for 30 minutes`);
    expect(body.alert).toMatchObject({ status: 'open', kind: 'number_down', subject: `number:${down.id}` });
    expect(body.text).not.toContain(recent.phone);
    const mails = () =>
      smtp.received.filter((mail) => JSON.stringify(mail.to).includes('ops@clinic.example'));
    expect(mails()).toHaveLength(1);
    expect(mails()[0]?.subject).toBe('Parley alert: Numbers down');

    // Still down: the same alert stays open, nothing is sent again.
    await api.api.runAlerts();
    expect(posts()).toHaveLength(1);
    expect(mails()).toHaveLength(1);
    const viewer = await api.member('viewer');
    const listed = await viewer.call('get', '/alerts');
    expect(listed.status).toBe(200);
    const open = listed.body.items.filter((alert: { ruleId: string }) => alert.ruleId === rule.body.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ resolvedAt: null, ruleName: 'Numbers down' });
    expect(
      open[0].deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`),
    ).toEqual(['webhook:delivered', 'email:delivered']);

    await api.db.query(`update numbers set state = 'connected', updated_at = now() where id = $1`, [down.id]);
    await api.api.runAlerts();
    expect(posts()).toHaveLength(2);
    const resolved = posts()[1] as Received;
    verify(resolved);
    expect(JSON.parse(resolved.body)).toMatchObject({
      alert: { status: 'resolved', subject: `number:${down.id}` },
    });
    expect(JSON.parse(resolved.body).text).toMatch(/^Resolved: Numbers down/);
    expect(mails()).toHaveLength(2);
    expect(mails()[1]?.subject).toBe('Resolved: Numbers down');
    const after = (await viewer.call('get', '/alerts')).body.items.find(
      (alert: { id: string }) => alert.id === open[0].id,
    );
    expect(after.resolvedAt).not.toBeNull();
    expect(after.deliveries).toHaveLength(4);
    await api.admin.call('delete', `/alert-rules/${rule.body.id}`);
  });

  it('shows a webhook that fails on the alert, to be tried again', async () => {
    const rule = await api.admin.call('post', '/alert-rules', {
      name: 'Hand-offs',
      kind: 'handoff_waiting',
      params: { minutes: 1 },
      webhookUrl: `${hook.url}/broken-${randomUUID()}`,
    });
    const flow = await api.admin.call('post', '/flows', { name: 'Intake' });
    const { id: numberId } = await number('connected', 0);
    await api.db.query(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum)
       values ($1, $2, 0, 'draft', '{}'::jsonb, 'x')`,
      [api.workspaceId, flow.body.id],
    );
    await api.db.query(
      `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, started_at, updated_at)
       select $1, $2, '+14155550142', $3, v.id, $4, 'handoff', now(), now() - interval '20 minutes'
       from flow_versions v where v.flow_id = $3`,
      [api.workspaceId, numberId, flow.body.id, randomUUID()],
    );
    // One released back to the bot keeps its status but waits for no one.
    await api.db.query(
      `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, started_at, updated_at, released_at)
       select $1, $2, '+14155550144', $3, v.id, $4, 'handoff', now(), now() - interval '30 minutes', now()
       from flow_versions v where v.flow_id = $3`,
      [api.workspaceId, numberId, flow.body.id, randomUUID()],
    );
    await api.api.runAlerts();
    const alert = (await api.admin.call('get', '/alerts')).body.items.find(
      (item: { ruleId: string }) => item.ruleId === rule.body.id,
    );
    expect(alert.message).toContain('1 conversation has waited for a person for more than 1 minutes');
    expect(alert.deliveries).toEqual([
      expect.objectContaining({
        channel: 'webhook',
        status: 'pending',
        attempts: 1,
        lastError: 'The webhook answered HTTP 500; check its address in the alert rule.',
      }),
    ]);
  });

  it('watches failing flows, unsent replies and browser restarts, each in plain words', async () => {
    const kinds = [
      ['Failing flows', 'flow_failure_rate', { percent: 30, windowMinutes: 60, count: 4 }],
      ['Unsent replies', 'outbox_backlog', { minutes: 10, count: 2 }],
      ['Restarts', 'memory_restarts', { windowMinutes: 60, count: 3 }],
    ] as const;
    const rules: Record<string, string> = {};
    for (const [name, kind, params] of kinds)
      rules[kind] = (await api.admin.call('post', '/alert-rules', { name, kind, params })).body.id;
    const flow = await api.admin.call('post', '/flows', { name: 'Booking' });
    const { id: numberId, phone } = await number('connected', 0);
    await api.db.query(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum)
       values ($1, $2, 0, 'draft', '{}'::jsonb, 'x')`,
      [api.workspaceId, flow.body.id],
    );
    // 2 of 5 ended conversations failed (40%); a test conversation does not count.
    for (const [status, isTest] of [
      ['failed', false],
      ['failed', false],
      ['completed', false],
      ['completed', false],
      ['completed', false],
      ['failed', true],
    ] as const) {
      await api.db.query(
        `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, is_test, started_at, ended_at)
         select $1, $2, '+14155550143', $3, v.id, $4, $5, $6, now() - interval '5 minutes', now()
         from flow_versions v where v.flow_id = $3`,
        [api.workspaceId, numberId, flow.body.id, randomUUID(), status, isTest],
      );
    }
    for (const minutesAgo of [30, 20, 1]) {
      await api.db.query(
        `insert into messages (workspace_id, number_id, contact, direction, body, status, created_at)
         values ($1, $2, '+14155550143', 'out', '{"text":"hi"}'::jsonb, 'queued', now() - $3::integer * interval '1 minute')`,
        [api.workspaceId, numberId, minutesAgo],
      );
    }
    for (let restart = 0; restart < 3; restart++) {
      await api.db.query(
        `insert into session_events (workspace_id, number_id, state, detail)
         values ($1, $2, 'reconnecting', '{"message":"Restarting: the browser uses too much memory"}'::jsonb)`,
        [api.workspaceId, numberId],
      );
    }
    await api.api.runAlerts();
    const messages = Object.fromEntries(
      ((await api.admin.call('get', '/alerts')).body.items as { ruleId: string; message: string }[])
        .filter((alert) => Object.values(rules).includes(alert.ruleId))
        .map((alert) => [alert.ruleId, alert.message]),
    );
    expect(messages).toEqual({
      [rules.flow_failure_rate as string]: expect.stringContaining(
        'Flow "Booking": 2 of 5 conversations in the last 60 minutes ended in an error (40%, more than 30%).',
      ),
      [rules.outbox_backlog as string]: expect.stringContaining(
        `2 replies from Front desk (${phone}) have waited more than 10 minutes to be sent.`,
      ),
      [rules.memory_restarts as string]: expect.stringContaining(
        `Front desk (${phone}) was restarted 3 times in the last 60 minutes because it used too much memory`,
      ),
    });
    for (const id of Object.values(rules)) await api.admin.call('delete', `/alert-rules/${id}`);
  });

  it('refuses a webhook on a private address unless allowed, and says so when email is not set up', async () => {
    const strict = await startTestApi();
    try {
      const refused = await strict.admin.call('post', '/alert-rules', {
        name: 'Local',
        kind: 'number_down',
        webhookUrl: 'http://127.0.0.1:9/hook',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('127.0.0.1, a private or local address');
      expect((await strict.admin.call('get', '/alert-rules')).body.items).toEqual([]);
      // Without SMTP, an email notice is marked failed with the reason, never dropped.
      await strict.admin.call('post', '/alert-rules', {
        name: 'Down',
        kind: 'number_down',
        emails: ['ops@clinic.example'],
      });
      await strict.db.query(
        `insert into numbers (workspace_id, phone, state, desired_connected, updated_at)
         values ($1, '+14155550188', 'failed', true, now() - interval '1 hour')`,
        [strict.workspaceId],
      );
      await strict.api.runAlerts();
      const [alert] = (await strict.admin.call('get', '/alerts')).body.items;
      expect(alert.deliveries).toEqual([
        expect.objectContaining({
          channel: 'email',
          status: 'failed',
          lastError: expect.stringContaining('Email is not set up on this server'),
        }),
      ]);
      expect(alert.message).toContain('has failed to connect and has been down for 60 minutes');
    } finally {
      await strict.close();
    }
  });
});
