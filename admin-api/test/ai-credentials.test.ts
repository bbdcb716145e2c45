import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin.js';
import { tablesContaining } from './support/db-scan.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/**
 * AI providers through the API, against the local provider stand-in: keys sealed and never
 * returned, test calls answered in words, model lists, the private-address policy, the audit.
 */
let api: TestApi;
let strict: TestApi;
let standin: AiStandin;
let editor: Client;

beforeAll(async () => {
  standin = await startAiStandin();
  // The stand-in listens on 127.0.0.1: a deployment that allows private addresses (as for Ollama).
  api = await startTestApi({ allowPrivateHttp: true });
  strict = await startTestApi();
  editor = await api.member('editor');
});

afterAll(async () => {
  await api?.close();
  await strict?.close();
  await standin?.close();
});

beforeEach(() => {
  standin.requests.length = 0;
});

async function add(body: Record<string, unknown>) {
  const reply = await api.admin.call('post', '/ai/credentials', body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body as { id: string; keySet: boolean; name: string };
}

describe('AI providers', () => {
  it('stores the key sealed and never returns it', async () => {
    const key = `${standin.apiKey}`;
    const created = await add({
      name: 'OpenAI (shop)',
      kind: 'openai',
      apiKey: key,
      baseUrl: standin.baseUrl('openai'),
      defaultModel: 'gpt-4o-mini',
    });
    expect(created).toMatchObject({
      name: 'OpenAI (shop)',
      kind: 'openai',
      keySet: true,
      defaultModel: 'gpt-4o-mini',
    });
    expect(JSON.stringify(created)).not.toContain(key);
    const list = await api.admin.call('get', '/ai/credentials');
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.items.map((item: { name: string }) => item.name)).toContain('OpenAI (shop)');
    // Nowhere in the database in clear, the audit log included.
    expect(await tablesContaining(api.db, key)).toEqual([]);
    const { rows } = await api.db.query<{ api_key: string }>(
      'select api_key from ai_credentials where id = $1',
      [created.id],
    );
    expect(rows[0]?.api_key).toMatch(/^sealed:/);
  });

  it('tests the connection with a real call and says how it went', async () => {
    const { id } = await add({
      name: 'Claude',
      kind: 'anthropic',
      apiKey: standin.apiKey,
      baseUrl: standin.baseUrl('anthropic'),
    });
    standin.script({ reply: { text: 'OK' } });
    const ok = await api.admin.call('post', `/ai/credentials/${id}/test`, {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, model: 'claude-haiku-4-5', code: null });
    expect(ok.body.message).toMatch(/^Connected: claude-haiku-4-5 answered in [\d.]+ s\. It said: “OK”\.$/);
    expect(standin.requests.at(-1)?.headers['x-api-key']).toBe(standin.apiKey);

    const unknownModel = await api.admin.call('post', `/ai/credentials/${id}/test`, { model: 'claude-nope' });
    expect(unknownModel.body).toMatchObject({ ok: false, code: 'model_not_found', model: 'claude-nope' });
    expect(unknownModel.body.message).toContain('no model called “claude-nope”');
  });

  it('says a refused key in words, and a replaced key works', async () => {
    const { id } = await add({
      name: 'Gemini',
      kind: 'google',
      apiKey: 'wrong-key',
      baseUrl: standin.baseUrl('google'),
    });
    const refused = await api.admin.call('post', `/ai/credentials/${id}/test`, {});
    expect(refused.body).toMatchObject({ ok: false, code: 'auth_refused' });
    expect(refused.body.message).toContain('Google refused the API key');

    const replaced = await api.admin.call('put', `/ai/credentials/${id}`, { apiKey: standin.apiKey });
    expect(replaced.status).toBe(200);
    expect(replaced.body.keySet).toBe(true);
    expect((await api.admin.call('post', `/ai/credentials/${id}/test`, {})).body.ok).toBe(true);
  });

  it('says how long a rate-limited provider asked to wait', async () => {
    const { id } = await add({
      name: 'Limited',
      kind: 'openai',
      apiKey: standin.apiKey,
      baseUrl: standin.baseUrl('openai'),
    });
    standin.script({ fail: { status: 429, headers: { 'retry-after': '90' } } });
    const limited = await api.admin.call('post', `/ai/credentials/${id}/test`, {});
    expect(limited.body).toMatchObject({ ok: false, code: 'rate_limited' });
    expect(limited.body.message).toContain('asked to wait 90 seconds');
  });

  it('lists the provider’s models, or the known ones and why', async () => {
    const { id } = await add({
      name: 'Listed',
      kind: 'openai',
      apiKey: standin.apiKey,
      baseUrl: standin.baseUrl('openai'),
    });
    const listed = await api.admin.call('get', `/ai/credentials/${id}/models`);
    expect(listed.body).toEqual({ models: [...standin.models].sort(), source: 'provider', problem: null });

    const wrong = await add({
      name: 'Wrong key',
      kind: 'openai',
      apiKey: 'nope',
      baseUrl: standin.baseUrl('openai'),
    });
    const known = await api.admin.call('get', `/ai/credentials/${wrong.id}/models`);
    expect(known.body).toMatchObject({
      source: 'known',
      problem: expect.stringContaining('refused the API key'),
    });
    expect(known.body.models).toContain('gpt-4o-mini');
  });

  it('tests a compatible server without a key with the first model it lists', async () => {
    const { id, keySet } = await add({
      name: 'Ollama',
      kind: 'openai_compatible',
      baseUrl: `${standin.baseUrl('openai')}/`,
    });
    expect(keySet).toBe(false);
    // The stand-in wants a key: the answer says so, naming the server.
    const refused = await api.admin.call('post', `/ai/credentials/${id}/test`, {});
    expect(refused.body.message).toContain('The OpenAI-compatible server refused the API key');
    await api.admin.call('put', `/ai/credentials/${id}`, {
      apiKey: standin.apiKey,
      defaultModel: 'llama3.2',
    });
    const ok = await api.admin.call('post', `/ai/credentials/${id}/test`, {});
    expect(ok.body).toMatchObject({ ok: true, model: 'llama3.2' });
    expect(standin.requests.at(-1)?.path).toBe('/openai/v1/chat/completions');
  });

  it('refuses what cannot work, in words', async () => {
    const noUrl = await api.admin.call('post', '/ai/credentials', {
      name: 'Local',
      kind: 'openai_compatible',
    });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.message).toContain('needs its base URL');
    await add({ name: 'Twice', kind: 'openai', apiKey: 'k' });
    const twice = await api.admin.call('post', '/ai/credentials', {
      name: 'twice',
      kind: 'anthropic',
      apiKey: 'k',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('already an AI provider called “twice”');
    const blank = await api.admin.call('post', '/ai/credentials', {
      name: 'Blank',
      kind: 'openai',
      apiKey: '   ',
    });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toContain('The API key is blank');
  });

  it('refuses a private base URL unless the deployment allows private addresses', async () => {
    const refused = await strict.admin.call('post', '/ai/credentials', {
      name: 'Ollama',
      kind: 'openai_compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('PARLEY_ALLOW_PRIVATE_HTTP=1');
    // A name that resolves to a private address is refused when the call connects.
    const sneaky = await strict.admin.call('post', '/ai/credentials', {
      name: 'Sneaky',
      kind: 'openai_compatible',
      baseUrl: 'http://models.example.invalid/v1',
    });
    expect(sneaky.status).toBe(201);
    await strict.db.query(`update ai_credentials set base_url = $1 where id = $2`, [
      standin.baseUrl('openai'),
      sneaky.body.id,
    ]);
    const blocked = await strict.admin.call('post', `/ai/credentials/${sneaky.body.id}/test`, {
      model: 'llama3.2',
    });
    expect(blocked.body).toMatchObject({ ok: false, code: 'blocked_address' });
    expect(blocked.body.message).toContain('127.0.0.1, a private or local address');
    expect(standin.requests).toHaveLength(0);
  });

  it('binds a sealed key to its provider: copied to another, it is not used, and the answer says so', async () => {
    const source = await add({
      name: 'Source',
      kind: 'openai',
      apiKey: standin.apiKey,
      baseUrl: standin.baseUrl('openai'),
    });
    const target = await add({ name: 'Target', kind: 'openai', baseUrl: standin.baseUrl('openai') });
    await api.db.query(
      'update ai_credentials set api_key = (select api_key from ai_credentials where id = $1) where id = $2',
      [source.id, target.id],
    );
    const copied = await api.admin.call('post', `/ai/credentials/${target.id}/test`, {});
    expect(copied.body).toMatchObject({ ok: false, code: 'auth_refused' });
    expect(copied.body.message).toContain('Parley can no longer read this provider’s key');
    expect(standin.requests).toHaveLength(0);
    const models = await api.admin.call('get', `/ai/credentials/${target.id}/models`);
    expect(models.body).toMatchObject({
      source: 'known',
      problem: expect.stringContaining('Enter the key again'),
    });
  });

  it('is for admins only', async () => {
    const { id } = await add({ name: 'Admins only', kind: 'openai', apiKey: 'k' });
    expect((await editor.call('get', '/ai/credentials')).status).toBe(403);
    expect((await editor.call('post', `/ai/credentials/${id}/test`, {})).status).toBe(403);
  });

  it('audits changes without the key, and removes the provider', async () => {
    const secret = 'sk-audited-secret-value';
    const { id } = await add({ name: 'Audited', kind: 'openai', apiKey: secret });
    await api.admin.call('put', `/ai/credentials/${id}`, { apiKey: `${secret}-2`, defaultModel: 'gpt-4o' });
    expect((await api.admin.call('delete', `/ai/credentials/${id}`)).status).toBe(204);
    expect((await api.admin.call('delete', `/ai/credentials/${id}`)).status).toBe(404);
    const { rows } = await api.db.query<{ action: string; before: unknown; after: unknown }>(
      `select action, before, after from audit_log where entity = 'ai_credential' and entity_id = $1 order by id`,
      [id],
    );
    expect(rows.map((row) => row.action)).toEqual([
      'ai_credential.create',
      'ai_credential.update',
      'ai_credential.delete',
    ]);
    expect(rows[1]?.after).toMatchObject({ defaultModel: 'gpt-4o', keySet: true, keyReplaced: true });
    expect(JSON.stringify(rows)).not.toContain('sk-audited');
  });
});
