/**
 * The status screen's data: each WhatsApp number's connection and the runtime holding it, what
 * waits to be handled and sent, failed sends, and recent problems with their reasons — read from
 * what the runtimes record, for admins only, and nothing of another workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;
let numberId: string;
/** What a runtime records when WhatsApp Web cannot be reached. */
const REASON = {
  code: 'web_unreachable',
  message: 'WhatsApp Web could not be reached from this server.',
  nextStep: 'Check the server’s internet connection and DNS.',
  detail: 'net::ERR_NAME_NOT_RESOLVED',
  attempt: 2,
  maxAttempts: 5,
};

async function message(
  direction: 'in' | 'out',
  status: string,
  extra: { lastError?: string; ageMinutes?: number } = {},
) {
  await api.db.query(
    `insert into messages (workspace_id, number_id, contact, direction, body, status, last_error, created_at, updated_at)
     values ($1, $2, '+34600000001', $3, '{"text":"hi"}', $4, $5, now() - make_interval(mins => $6), now() - make_interval(mins => $6))`,
    [api.workspaceId, numberId, direction, status, extra.lastError ?? null, extra.ageMinutes ?? 0],
  );
}

beforeAll(async () => {
  api = await startTestApi();
  const created = await api.admin.call('post', '/numbers', { phone: '+34600000000', label: 'Front desk' });
  numberId = created.body.id;
  await api.db.query(`update numbers set state = 'reconnecting', state_reason = $2::jsonb where id = $1`, [
    numberId,
    JSON.stringify(REASON),
  ]);
  await api.db.query(
    `insert into session_events (workspace_id, number_id, state, detail, owner, at) values
       ($1, $2, 'connected', '{}', 'runtime-a', now() - interval '2 hours'),
       ($1, $2, 'reconnecting', $3::jsonb, 'runtime-a', now() - interval '5 minutes')`,
    [api.workspaceId, numberId, JSON.stringify({ reason: REASON })],
  );
  await api.db.query(
    `insert into whatsapp_leases (number_id, fence, owner, acquired_at) values ($1, 3, 'runtime-a', now() - interval '2 hours')`,
    [numberId],
  );
  await message('in', 'received');
  await message('out', 'queued', { ageMinutes: 12 });
  await message('out', 'sending', { ageMinutes: 1 });
  await message('out', 'sent');
  await message('out', 'failed', { lastError: 'The contact’s phone number is not on WhatsApp.' });
  // An open alert whose webhook notice could not be delivered.
  const rule = await api.db.query<{ id: string }>(
    `insert into alert_rules (workspace_id, name, kind) values ($1, 'Numbers down', 'number_down') returning id`,
    [api.workspaceId],
  );
  const alert = await api.db.query<{ id: string }>(
    `insert into alerts (workspace_id, rule_id, subject, message) values ($1, $2, 'number:x', 'Front desk is down') returning id`,
    [api.workspaceId, rule.rows[0]?.id],
  );
  await api.db.query(
    `insert into alert_deliveries (alert_id, event, channel, status, last_error, updated_at)
     values ($1, 'opened', 'webhook', 'failed', 'HTTP 503', now() - interval '1 minute')`,
    [alert.rows[0]?.id],
  );
  await api.db.query(
    `insert into pending_effects (request_id, number_id, contact, workspace_id, payload) values ('r1', $1, '+34600000001', $2, '{}')`,
    [numberId, api.workspaceId],
  );
});

afterAll(async () => {
  await api?.close();
});

describe('GET /status', () => {
  it('shows each number’s connection, holder, queues and problems in words', async () => {
    const reply = await api.admin.call('get', '/status');
    expect(reply.status).toBe(200);
    const [number] = reply.body.numbers;
    expect(number).toMatchObject({
      id: numberId,
      phone: '+34600000000',
      label: 'Front desk',
      state: 'reconnecting',
      reason: REASON,
      hasSession: false,
      heldBy: { runtime: 'runtime-a' },
      inbox: 1,
      outbox: 2,
      failedSends24h: 1,
      callsInFlight: 1,
    });
    expect(Date.now() - Date.parse(number.oldestWaitingSince)).toBeGreaterThan(11 * 60_000);
    expect(reply.body.totals).toEqual({ inbox: 1, outbox: 2, failedSends24h: 1 });
    expect(reply.body.alerts).toEqual({ open: 1, noticesPending: 0, noticesFailed24h: 1 });
    expect(
      reply.body.recentProblems.map((problem: { kind: string; message: string }) => [
        problem.kind,
        problem.message,
      ]),
    ).toEqual([
      ['send', 'The contact’s phone number is not on WhatsApp.'],
      ['alert_notice', 'The webhook notice of the alert “Front desk is down” could not be sent: HTTP 503.'],
      ['connection', 'WhatsApp Web could not be reached from this server.'],
    ]);
  });

  it('is for admins, and shows nothing of another workspace', async () => {
    const editor = await api.member('editor');
    expect((await editor.call('get', '/status')).status).toBe(403);
    const elsewhere = await api.otherWorkspace();
    const other = await elsewhere.call('get', '/status');
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({
      numbers: [],
      recentProblems: [],
      totals: { inbox: 0, outbox: 0, failedSends24h: 0 },
    });
  });
});
