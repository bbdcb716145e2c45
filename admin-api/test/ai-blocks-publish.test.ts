import { validateFlow } from '@parley/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/**
 * AI blocks in flows through the API: editors pick providers and models (never seeing a key), a
 * block whose provider is not in the workspace is an error that blocks publishing, and an AI reply's
 * tool headers are kept like an HTTP request's.
 */
let api: TestApi;
let standin: AiStandin;
let editor: Client;
let providerId: string;
let MISSING: string;

/** What the shared check (shared-schemas' missingCredential) says of a block whose provider is not here. */
function missingMessage(): string {
  const { errors } = validateFlow(aiFlow('Probe', 'gone'), {
    allowPrivateHttp: true,
    aiCredentialIds: new Set(),
  });
  const problem = errors.find((error) => error.pointer === '/nodes/0/config/credentialId');
  if (problem === undefined) throw new Error('shared-schemas no longer checks an AI block’s provider');
  return problem.message;
}

function aiFlow(name: string, credentialId: string) {
  return {
    schemaVersion: 1,
    name,
    triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
    nodes: [
      {
        id: 'n1',
        type: 'ai_reply',
        position: { x: 0, y: 0 },
        config: {
          credentialId,
          model: 'gpt-4o-mini',
          prompt: 'You are the booking assistant. Be brief.',
          goal: 'The contact has a visit booked.',
        },
      },
      { id: 'n2', type: 'end', position: { x: 0, y: 200 }, config: { text: 'Bye!' } },
      { id: 'n3', type: 'handoff', position: { x: 300, y: 200 }, config: {} },
    ],
    edges: [
      { id: 'e1', source: 'n1', sourceHandle: 'done', target: 'n2' },
      { id: 'e2', source: 'n1', sourceHandle: 'handoff', target: 'n3' },
      { id: 'e3', source: 'n1', sourceHandle: 'failure', target: 'n2' },
    ],
  };
}

beforeAll(async () => {
  MISSING = missingMessage();
  standin = await startAiStandin();
  api = await startTestApi({ allowPrivateHttp: true });
  editor = await api.member('editor');
  const created = await api.admin.call('post', '/ai/credentials', {
    name: 'Shop OpenAI',
    kind: 'openai',
    apiKey: standin.apiKey,
    baseUrl: standin.baseUrl('openai'),
    defaultModel: 'gpt-4o-mini',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  providerId = created.body.id;
});

afterAll(async () => {
  await api?.close();
  await standin?.close();
});

describe('AI blocks in flows', () => {
  it('lets an editor pick a provider and its models, never seeing the key or the address', async () => {
    const providers = await editor.call('get', '/ai/providers');
    expect(providers.status).toBe(200);
    expect(providers.body.items).toEqual([
      { id: providerId, name: 'Shop OpenAI', kind: 'openai', defaultModel: 'gpt-4o-mini' },
    ]);
    expect(JSON.stringify(providers.body)).not.toContain(standin.apiKey);
    const models = await editor.call('get', `/ai/providers/${providerId}/models`);
    expect(models.status).toBe(200);
    expect(models.body.source).toBe('provider');
    expect(models.body.models.length).toBeGreaterThan(0);
    // The admin routes stay admin.
    expect((await editor.call('get', '/ai/credentials')).status).toBe(403);
  });

  it('publishes a flow whose AI block calls a provider of the workspace', async () => {
    const flow = await editor.call('post', '/flows', {
      name: 'AI desk',
      definition: aiFlow('AI desk', providerId),
    });
    expect(flow.status).toBe(201);
    const validation = await editor.call('post', `/flows/${flow.body.id}/validate`);
    expect(validation.body.errors).toEqual([]);
    const published = await editor.call('post', `/flows/${flow.body.id}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
  });

  it('refuses to publish a block whose provider was removed, and says what to do', async () => {
    const other = await api.admin.call('post', '/ai/credentials', {
      name: 'Soon removed',
      kind: 'openai',
      apiKey: standin.apiKey,
      baseUrl: standin.baseUrl('openai'),
    });
    const flow = await editor.call('post', '/flows', {
      name: 'Orphaned',
      definition: aiFlow('Orphaned', other.body.id),
    });
    expect((await api.admin.call('delete', `/ai/credentials/${other.body.id}`)).status).toBe(204);
    const refused = await editor.call('post', `/flows/${flow.body.id}/publish`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors).toEqual([
      { pointer: '/nodes/0/config/credentialId', message: MISSING },
    ]);
    expect(MISSING).toMatch(
      /Pick a provider in the block’s settings, or add one on the AI providers page\.$/,
    );
    const { rows } = await api.db.query('select 1 from flow_versions where flow_id = $1', [flow.body.id]);
    expect(rows).toEqual([]);
  });

  it('shows, on import, that a flow from another workspace names a provider this one lacks', async () => {
    const elsewhere = await api.otherWorkspace();
    const imported = await elsewhere.call('post', '/flows/import', aiFlow('Copied', providerId));
    expect(imported.status).toBe(201);
    expect(imported.body.warnings).toContainEqual({
      pointer: '/nodes/0/config/credentialId',
      message: MISSING,
    });
    const validation = await elsewhere.call('post', `/flows/${imported.body.id}/validate`);
    expect(validation.body.errors).toContainEqual({
      pointer: '/nodes/0/config/credentialId',
      message: MISSING,
    });
    expect((await elsewhere.call('post', `/flows/${imported.body.id}/publish`)).status).toBe(422);
    // Its own workspace publishes the same document.
    const home = await editor.call('post', '/flows/import', aiFlow('Copied home', providerId));
    expect((await editor.call('post', `/flows/${home.body.id}/publish`)).status).toBe(201);
  });

  it('keeps an AI reply’s tool headers encrypted, and never sends them back', async () => {
    const secret = 'Bearer tool-secret-9f2c';
    const definition = aiFlow('Tools with a key', providerId);
    Object.assign(definition.nodes[0]?.config as object, {
      tools: [
        { name: 'free_slots', description: 'Lists the free visit times.', url: `${standin.url}/slots` },
      ],
      headers: { Authorization: secret },
    });
    const flow = await editor.call('post', '/flows', { name: 'Tools with a key', definition });
    expect(flow.status).toBe(201);
    expect(JSON.stringify(flow.body)).not.toContain(secret);
    const read = await editor.call('get', `/flows/${flow.body.id}`);
    expect(read.body.draft.definition.nodes[0].config.headers).toEqual({ Authorization: { secret: true } });
    const { rows } = await api.db.query<{ draft: unknown }>('select draft from flows where id = $1', [
      flow.body.id,
    ]);
    expect(JSON.stringify(rows[0]?.draft)).not.toContain(secret);
    expect((await editor.call('post', `/flows/${flow.body.id}/publish`)).status).toBe(201);
  });
});
