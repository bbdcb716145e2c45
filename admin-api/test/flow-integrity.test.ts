import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/** A flow with a phone question, so exports have an email and a phone answer to mask. */
function contactFlow(name: string) {
  const flow = intakeFlow(name);
  flow.nodes.splice(2, 0, {
    id: 'n2b',
    type: 'question',
    config: { prompt: 'Your phone?', variable: 'phone', answer: { type: 'string', format: 'phone' } },
  });
  flow.edges = [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n2b' },
    { id: 'e2b', source: 'n2b', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
  ];
  return flow;
}

describe('flows keep their data: deletion, restore, rollback, masked exports', () => {
  let api: TestApi;
  let editor: Client;

  async function publishedFlow(name: string): Promise<{ flowId: string; versionId: string }> {
    const flow = await editor.call('post', '/flows', { name, definition: contactFlow(name) });
    expect((await editor.call('post', `/flows/${flow.body.id}/publish`)).status).toBe(201);
    const { rows } = await api.db.query<{ id: string }>(
      `select id from flow_versions where flow_id = $1 and status = 'published'`,
      [flow.body.id],
    );
    return { flowId: flow.body.id, versionId: (rows[0] as { id: string }).id };
  }

  /** A completed conversation and its response, as the runtime writes them. */
  async function seedResponse(flowId: string, versionId: string, numberId: string) {
    const id = randomUUID();
    const answers = JSON.stringify({ email: 'ann@example.com', phone: '+34612345678', plan: 'pro' });
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
         status, answers, variables, started_at, ended_at)
       values ($1::uuid, $2, $3, '+14155550100', 'Ann Lee', $4, $5, $1::text, 'completed', $6::jsonb, $6::jsonb, now(), now())`,
      [id, api.workspaceId, numberId, flowId, versionId, answers],
    );
    await api.db.query(
      `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, completed_at)
       values ($1, $2, $3, $4, $5::jsonb, now())`,
      [api.workspaceId, id, flowId, versionId, answers],
    );
    return id;
  }

  async function csv(flowId: string, query = ''): Promise<string[][]> {
    const reply = await editor.call('get', `/flows/${flowId}/responses/export?format=csv${query}`);
    expect(reply.status).toBe(200);
    return parse(reply.body as string, { bom: true }) as string[][];
  }

  beforeAll(async () => {
    api = await startTestApi();
    editor = await api.member('editor');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('asks to confirm deleting a flow numbers answer with, naming them', async () => {
    const { flowId } = await publishedFlow('Front desk flow');
    const desk = await api.admin.call('post', '/numbers', { phone: '+34612345678', label: 'Front desk' });
    const bare = await api.admin.call('post', '/numbers', { phone: '+14155550177' });
    for (const number of [desk, bare])
      expect((await api.admin.call('put', `/numbers/${number.body.id}/flow`, { flowId })).status).toBe(200);

    const refused = await editor.call('delete', `/flows/${flowId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'Deleting this flow silences +1 415 555 0177, +34 612 34 56 78 (Front desk): those numbers stop answering until you assign another flow. Confirm to delete it anyway.',
    );
    expect(refused.body.error.details.numbers.map((n: { id: string }) => n.id).sort()).toEqual(
      [desk.body.id, bare.body.id].sort(),
    );
    expect((await editor.call('get', `/flows/${flowId}`)).status).toBe(200);

    expect((await editor.call('delete', `/flows/${flowId}?confirm=true`)).status).toBe(204);
    expect((await editor.call('get', `/flows/${flowId}`)).status).toBe(404);
    expect((await api.admin.call('get', `/numbers/${desk.body.id}`)).body.flow).toBeNull();
  });

  it('keeps a deleted flow’s responses and exports, lists it as deleted and restores it', async () => {
    const { flowId, versionId } = await publishedFlow('Lead intake');
    const number = await api.admin.call('post', '/numbers', { phone: '+14155550188' });
    const conversationId = await seedResponse(flowId, versionId, number.body.id);

    // Nothing answers with it: no confirmation needed.
    expect((await editor.call('delete', `/flows/${flowId}`)).status).toBe(204);
    expect((await editor.call('get', '/flows')).body.items.map((f: { id: string }) => f.id)).not.toContain(
      flowId,
    );
    const deleted = await editor.call('get', '/flows?deleted=true');
    expect(deleted.status).toBe(200);
    expect(deleted.body.items).toContainEqual(
      expect.objectContaining({ id: flowId, name: 'Lead intake', deletedAt: expect.any(String) }),
    );

    const responses = await editor.call('get', `/flows/${flowId}/responses`);
    expect(responses.status).toBe(200);
    expect(responses.body.items.map((r: { conversationId: string }) => r.conversationId)).toEqual([
      conversationId,
    ]);
    expect((await csv(flowId))[1]?.[0]).toBe(conversationId);
    expect((await editor.call('get', `/flows/${flowId}/analytics`)).status).toBe(200);
    expect((await editor.call('get', `/conversations/${conversationId}`)).status).toBe(200);

    const viewer = await api.member('viewer');
    expect((await viewer.call('post', `/flows/${flowId}/restore`)).status).toBe(403);
    const restored = await editor.call('post', `/flows/${flowId}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: flowId, name: 'Lead intake', publishedVersion: 1 });
    expect((await editor.call('get', '/flows')).body.items.map((f: { id: string }) => f.id)).toContain(
      flowId,
    );
    const again = await editor.call('post', `/flows/${flowId}/restore`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('This flow is not deleted.');
    const foreign = await (await api.otherWorkspace()).call('post', `/flows/${flowId}/restore`);
    expect(foreign.status).toBe(404);
    const audit = await api.db.query(
      `select action from audit_log where entity = 'flow' and entity_id = $1 and action in ('flow.delete', 'flow.restore') order by id`,
      [flowId],
    );
    expect(audit.rows).toEqual([{ action: 'flow.delete' }, { action: 'flow.restore' }]);
  });

  it('masks contacts, names, phone and email answers in a masked CSV', async () => {
    const { flowId, versionId } = await publishedFlow('Masked');
    const number = await api.admin.call('post', '/numbers', { phone: '+14155550199' });
    const conversationId = await seedResponse(flowId, versionId, number.body.id);

    const columns = (await editor.call('get', `/flows/${flowId}/responses`)).body.columns;
    expect(columns.map((c: { variable: string; personal: unknown }) => [c.variable, c.personal])).toEqual([
      ['email', 'email'],
      ['phone', 'phone'],
      ['plan', null],
    ]);
    const plain = await csv(flowId);
    expect(plain[0]).toEqual([
      'conversation_id',
      'contact',
      'contact_name',
      'version',
      'status',
      'started_at',
      'completed_at',
      'email',
      'phone',
      'plan',
    ]);
    expect(plain[1]).toEqual([
      conversationId,
      '+14155550100',
      'Ann Lee',
      '1',
      'completed',
      expect.any(String),
      expect.any(String),
      'ann@example.com',
      '+34612345678',
      'pro',
    ]);
    const masked = await csv(flowId, '&maskPhone=true');
    expect(masked[1]).toEqual([
      conversationId,
      '+1415•••0100',
      'A•••',
      '1',
      'completed',
      expect.any(String),
      expect.any(String),
      'a•••@•••.com',
      '+3461•••5678',
      'pro',
    ]);
  });

  it('rolls back only with the draft’s current etag in If-Match', async () => {
    const { flowId } = await publishedFlow('Rollback');
    const loaded = await editor.call('get', `/flows/${flowId}`);
    const etag = loaded.body.draft.etag as string;
    const changed = { ...loaded.body.draft.definition, name: 'Rollback v2' };
    const saved = await api.call('put', `/flows/${flowId}/draft`, {
      token: editor.token,
      headers: { 'if-match': `"${etag}"` },
      body: { definition: changed },
    });
    expect(saved.status).toBe(200);
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(201);

    const rollback = (ifMatch?: string) =>
      api.call('post', `/flows/${flowId}/versions/1/rollback`, {
        token: editor.token,
        ...(ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } }),
      });
    const missing = await rollback();
    expect(missing.status).toBe(412);
    expect(missing.body.error.message).toMatch(/^Send the draft’s etag in If-Match/);
    const stale = await rollback(`"${etag}"`);
    expect(stale.status).toBe(412);
    expect(stale.body.error.message).toBe(
      'Someone else saved this flow in the meantime, and rolling back would replace their draft. Reload it, then roll back again.',
    );
    expect(stale.body.error.details.currentEtag).toBe(saved.body.etag);
    expect((await editor.call('get', `/flows/${flowId}/versions`)).body.items).toHaveLength(2);

    const done = await rollback(`"${saved.body.etag}"`);
    expect(done.status).toBe(201);
    expect(done.body.version).toBe(3);
    expect((await editor.call('get', `/flows/${flowId}`)).body.draft.definition.name).toBe('Rollback');
  });
});
