import { randomUUID } from 'node:crypto';
import { busChannels } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { startTestApi, type TestApi } from './support/test-api.js';

describe('retention and contact erasure', () => {
  let api: TestApi;
  let numberId: string;
  let flowId: string;
  let versionId: string;

  /** A finished conversation as the runtime writes it, with one message each way and a response. */
  async function seedConversation(
    contact: string,
    endedDaysAgo: number,
    status = 'completed',
  ): Promise<string> {
    const id = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status,
         answers, started_at, ended_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, '{"email":"a@b.co"}', now() - make_interval(days => $9) - interval '1 hour',
         case when $8 = 'active' then null else now() - make_interval(days => $9) end)`,
      [id, api.workspaceId, numberId, contact, flowId, versionId, `m-${id}`, status, endedDaysAgo],
    );
    for (const direction of ['in', 'out']) {
      await api.db.query(
        `insert into messages (workspace_id, number_id, contact, conversation_id, direction, body, status)
         values ($1, $2, $3, $4, $5, '{"text":"hi"}', 'processed')`,
        [api.workspaceId, numberId, contact, id, direction],
      );
    }
    if (status === 'completed') {
      await api.db.query(
        `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers) values ($1, $2, $3, $4, '{}')`,
        [api.workspaceId, id, flowId, versionId],
      );
    }
    return id;
  }

  async function exists(conversationId: string): Promise<boolean> {
    const { rows } = await api.db.query('select 1 from conversations where id = $1', [conversationId]);
    return rows.length === 1;
  }

  beforeAll(async () => {
    api = await startTestApi();
    numberId = (await api.admin.call('post', '/numbers', { phone: '+14155550111' })).body.id;
    flowId = (await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() })).body.id;
    await api.admin.call('post', `/flows/${flowId}/publish`);
    const { rows } = await api.db.query<{ id: string }>(`select id from flow_versions where flow_id = $1`, [
      flowId,
    ]);
    versionId = (rows[0] as { id: string }).id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('deletes finished conversations older than the retention, keeps newer and active ones', async () => {
    const old = await seedConversation('+14155550120', 40);
    const recent = await seedConversation('+14155550121', 5);
    const oldButActive = await seedConversation('+14155550122', 40, 'active');
    expect((await api.admin.call('put', '/workspace/retention', { retentionDays: 30 })).body).toEqual({
      retentionDays: 30,
    });
    const purged = await api.api.runRetention();
    expect(purged).toEqual({ conversations: 1, messages: 2, responses: 1 });
    expect(await exists(old)).toBe(false);
    expect(await exists(recent)).toBe(true);
    expect(await exists(oldButActive)).toBe(true);
    const audit = await api.admin.call('get', '/audit?entity=workspace');
    expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining(['retention.purge', 'workspace.retention']),
    );
  });

  it('erases one contact on request, tells the runtimes, and records it without the phone', async () => {
    const first = await seedConversation('+14155550130', 1);
    const second = await seedConversation('+14155550130', 2, 'expired');
    const someoneElse = await seedConversation('+14155550131', 1);
    await api.db.query(
      `insert into contact_states (number_id, contact, workspace_id, state, version) values ($1, $2, $3, '{}', 3)`,
      [numberId, '+14155550130', api.workspaceId],
    );
    const published: unknown[] = [];
    const unsubscribe = await api.bus.subscribe(busChannels.contactPurged.name, (message) =>
      published.push(message),
    );
    const reply = await api.admin.call('delete', `/contacts/${encodeURIComponent('+14155550130')}`);
    await unsubscribe();
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ conversations: 2, messages: 4, responses: 1 });
    expect(await exists(first)).toBe(false);
    expect(await exists(second)).toBe(false);
    expect(await exists(someoneElse)).toBe(true);
    const { rows } = await api.db.query('select 1 from contact_states where contact = $1', ['+14155550130']);
    expect(rows).toHaveLength(0);
    expect(published).toEqual([{ numberId, contact: '+14155550130' }]);
    const audit = await api.admin.call('get', '/audit?entity=contact');
    expect(audit.body.items[0]).toMatchObject({ action: 'contact.purge', entityId: null });
    expect(JSON.stringify(audit.body.items[0])).not.toContain('4155550130');
  });

  it('sets the workspace name and the http_request signing secret, never showing the secret', async () => {
    const reply = await api.admin.call('patch', '/workspace', {
      name: 'Acme',
      signingSecret: 'a-long-signing-secret',
    });
    expect(reply.body).toMatchObject({ name: 'Acme', hasSigningSecret: true, retentionDays: 30 });
    const { rows } = await api.db.query<{ signing_secret: string }>(
      'select signing_secret from workspaces where id = $1',
      [api.workspaceId],
    );
    // Encrypted at rest (see secrets.test.ts for the signatures made with it).
    expect(rows[0]?.signing_secret).toMatch(/^sealed:/);
    expect(rows[0]?.signing_secret).not.toContain('a-long-signing-secret');
    expect(JSON.stringify((await api.admin.call('get', '/audit?entity=workspace')).body)).not.toContain(
      'a-long-signing-secret',
    );
    expect((await api.admin.call('patch', '/workspace', { signingSecret: null })).body.hasSigningSecret).toBe(
      false,
    );
    expect((await api.admin.call('patch', '/workspace', { signingSecret: 'short' })).status).toBe(400);
  });

  it('leaves erasure and retention to admins', async () => {
    const editor = await api.member('editor');
    expect((await editor.call('delete', '/contacts/%2B14155550131')).status).toBe(403);
    expect((await editor.call('put', '/workspace/retention', { retentionDays: 1 })).status).toBe(403);
    expect((await api.admin.call('put', '/workspace/retention', { retentionDays: 0 })).status).toBe(400);
  });
});
