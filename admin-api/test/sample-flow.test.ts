import { validateFlow } from '@parley/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const SAMPLE = 'Sample: appointment request';

describe('a new workspace starts with a sample flow', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const sampleIds = async (): Promise<string[]> => {
    const reply = await api.admin.call<{ items: { id: string; name: string }[] }>('get', '/flows');
    expect(reply.status).toBe(200);
    return reply.body.items.filter((flow) => flow.name === SAMPLE).map((flow) => flow.id);
  };

  it('holds one valid, unpublished draft built from the appointment request template', async () => {
    const [id] = await sampleIds();
    expect(id).toBeDefined();
    const flow = await api.admin.call('get', `/flows/${id}`);
    expect(flow.body.publishedVersion).toBeNull();
    const { errors } = validateFlow(flow.body.draft.definition);
    expect(errors).toEqual([]);
    expect(flow.body.draft.definition.name).toBe(SAMPLE);
    const variables = flow.body.draft.definition.nodes
      .filter((node: { type: string }) => node.type === 'question')
      .map((node: { config: { variable: string } }) => node.config.variable);
    expect(variables).toEqual(['service', 'date', 'slot', 'phone']);
  });

  it('is not added again when the API starts again', async () => {
    await api.api.bootstrap();
    expect(await sampleIds()).toHaveLength(1);
  });

  it('stays deleted once the admin deletes it, across restarts', async () => {
    const [id] = await sampleIds();
    expect((await api.admin.call('delete', `/flows/${id}`)).status).toBe(204);
    await api.api.bootstrap();
    expect(await sampleIds()).toEqual([]);
    const { rows } = await api.db.query<{ count: number }>(
      'select count(*)::int as count from flows where workspace_id = $1',
      [api.workspaceId],
    );
    expect(rows[0]?.count).toBe(1);
  });
});
