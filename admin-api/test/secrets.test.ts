import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cipherPurposes, SecretCipher } from '@parley/db';
import type { RuntimeService } from '@parley/runtime';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../src/app.js';
import type { ApiConfig } from '../src/config.js';
import { tablesContaining } from './support/db-scan.js';
import { httpFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi, waitFor } from './support/test-api.js';
import { TEST_SECRET_KEY } from './support/test-db.js';
import { startTestRuntime } from './support/test-runtime.js';

// Header values and signing secrets through the public API, a real runtime and real Postgres.

const KEY = 'Bearer sk_live_4f9a0c1e7b';
const NEW_KEY = 'Bearer sk_live_rotated_77d2';
const SIGNING_SECRET = 'a-signing-secret-3e8b5c2a';
const MASKED = { secret: true };

describe('secrets stay secret', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let admin: Client;
  let editor: Client;
  let viewer: Client;
  let crm: Server;
  const received: Received[] = [];
  /** The next call is left unanswered until released (a call in flight). */
  let holdNext = false;
  const held: (() => void)[] = [];
  let flowId: string;

  function crmFlow(url = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/leads`) {
    const flow = httpFlow(url);
    const call = flow.nodes[0] as { config: Record<string, unknown> };
    call.config.headers = { Authorization: KEY, 'X-Tenant': 'acme-{{contact.name}}' };
    return flow;
  }

  /** Runs the flow (draft, or a version) in the simulator and returns the request the CRM received. */
  async function callCrm(version: number | 'draft' = 'draft', flow = flowId) {
    const before = received.length;
    const session = await editor.call('post', '/simulator/sessions', {
      flowId: flow,
      version,
      contact: { name: 'Ann' },
    });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const reply = await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, {
      text: 'crm',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('Saved as 42');
    expect(received).toHaveLength(before + 1);
    return received[before] as Received;
  }

  async function saveDraft(
    client: Client,
    change: (definition: Record<string, unknown>) => void,
    id = flowId,
  ) {
    const flow = await client.call('get', `/flows/${id}`);
    const definition = flow.body.draft.definition;
    change(definition);
    return api.call('put', `/flows/${id}/draft`, {
      token: client.token,
      body: { definition },
      headers: { 'if-match': flow.headers.get('etag') ?? '' },
    });
  }

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    admin = api.admin;
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    crm = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body,
          method: request.method ?? '',
          url: `http://${request.headers.host}${request.url}`,
        });
        const answer = () => {
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ id: 42 }));
        };
        if (holdNext) {
          holdNext = false;
          held.push(answer);
        } else answer();
      });
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    const created = await editor.call('post', '/flows', { name: 'CRM', definition: crmFlow() });
    expect(created.status).toBe(201);
    flowId = created.body.id;
  });

  afterAll(async () => {
    await runtime?.stop();
    await new Promise((resolve) => crm?.close(resolve));
    await api?.close();
  });

  it('shows header values to nobody, in any response that carries a definition', async () => {
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(201);
    expect((await saveDraft(editor, (d) => setHeader(d, 'Authorization', NEW_KEY))).status).toBe(200);
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(201);
    for (const client of [viewer, editor, admin]) {
      const flow = await client.call('get', `/flows/${flowId}`);
      expect(flow.status).toBe(200);
      expect(headersOf(flow.body.draft.definition)).toEqual({ Authorization: MASKED, 'X-Tenant': MASKED });
      const version = await client.call('get', `/flows/${flowId}/versions/1`);
      expect(headersOf(version.body.definition)).toEqual({ Authorization: MASKED, 'X-Tenant': MASKED });
      const exported = await client.call('get', `/flows/${flowId}/export`);
      expect(exported.status).toBe(200);
      expect(headersOf(exported.body)).toEqual({ Authorization: MASKED, 'X-Tenant': MASKED });
      const diff = await client.call('get', `/flows/${flowId}/versions/1/diff/2`);
      expect(diff.body.changes.map((change: { description: string }) => change.description)).toEqual([
        expect.stringMatching(/^HTTP request “.+”: header Authorization value changed$/),
      ]);
      const replies = [flow, version, exported, diff, await client.call('get', `/flows/${flowId}/versions`)];
      for (const reply of replies) expect(JSON.stringify(reply.body)).not.toMatch(/sk_live|acme-/);
    }
    expect(JSON.stringify((await admin.call('get', '/audit?entity=flow')).body)).not.toMatch(/sk_live/);
  });

  it('stores no header value in clear anywhere in the database', async () => {
    expect(await tablesContaining(api.db, 'sk_live')).toEqual([]);
    expect(await tablesContaining(api.db, 'acme-{{')).toEqual([]);
  });

  it('keeps a saved value when the draft comes back masked, and the runtime sends the real one', async () => {
    const saved = await saveDraft(editor, (definition) => {
      definition.name = 'CRM renamed';
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect((await editor.call('post', `/flows/${flowId}/validate`)).body.errors).toEqual([]);
    const request = await callCrm();
    expect(request.headers.authorization).toBe(NEW_KEY);
    expect(request.headers['x-tenant']).toBe('acme-Ann');
  });

  it('replaces a value typed again; published versions keep the values they were published with', async () => {
    expect(
      (await saveDraft(editor, (d) => setHeader(d, 'Authorization', 'Bearer sk_live_third'))).status,
    ).toBe(200);
    expect((await callCrm()).headers.authorization).toBe('Bearer sk_live_third');
    expect((await callCrm(1)).headers.authorization).toBe(KEY);
    expect((await callCrm(2)).headers.authorization).toBe(NEW_KEY);
  });

  it('asks for a saved value again when its node now calls another site', async () => {
    const moved = await saveDraft(editor, (definition) => {
      const call = (definition.nodes as { config: Record<string, unknown> }[])[0];
      if (call !== undefined) call.config.url = 'https://attacker.example.net/collect';
    });
    expect(moved.status).toBe(200);
    const { errors } = (await editor.call('post', `/flows/${flowId}/validate`)).body;
    expect(errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
      '/nodes/0/config/headers/Authorization',
      '/nodes/0/config/headers/X-Tenant',
    ]);
    expect(errors[0].message).toMatch(/has to be typed again/);
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(422);
  });

  it('imports an exported file without its secrets, and says which to type again', async () => {
    const exported = await viewer.call('get', `/flows/${flowId}/export`);
    const imported = await editor.call('post', '/flows/import', exported.body);
    expect(imported.status).toBe(201);
    expect(imported.body.warnings.map((problem: { pointer: string }) => problem.pointer)).toContain(
      '/nodes/0/config/headers/Authorization',
    );
  });

  it('keeps saved values in a duplicate', async () => {
    expect((await saveDraft(editor, (d) => Object.assign(d, { nodes: crmFlow().nodes }))).status).toBe(200);
    const copy = await editor.call('post', `/flows/${flowId}/duplicate`);
    expect(copy.status).toBe(201);
    expect(headersOf(copy.body.draft.definition)).toEqual({ Authorization: MASKED, 'X-Tenant': MASKED });
    expect((await editor.call('post', `/flows/${copy.body.id}/validate`)).body.errors).toEqual([]);
  });

  it('stores the signing secret encrypted, and calls are still signed with it', async () => {
    expect((await admin.call('patch', '/workspace', { signingSecret: SIGNING_SECRET })).status).toBe(200);
    expect(await tablesContaining(api.db, SIGNING_SECRET)).toEqual([]);
    expectSignedWith(await callCrm(), SIGNING_SECRET);
  });

  it('encrypts a signing secret stored in clear before encryption, reading it meanwhile', async () => {
    const legacy = 'a-plaintext-legacy-secret-1';
    await api.db.query('update workspaces set signing_secret = $2 where id = $1', [api.workspaceId, legacy]);
    expectSignedWith(await callCrm(), legacy);
    await api.api.bootstrap();
    expect(await tablesContaining(api.db, legacy)).toEqual([]);
    expectSignedWith(await callCrm(), legacy);
  });
  it('keeps header values encrypted while a call is in flight, and a re-run after a crash sends them', async () => {
    const before = received.length;
    holdNext = true;
    const session = await editor.call('post', '/simulator/sessions', { flowId, contact: { name: 'Bo' } });
    const reply = editor.call('post', `/simulator/sessions/${session.body.id}/messages`, { text: 'crm' });
    const pending = await waitFor(async () => {
      const { rows } = await api.db.query('select payload from pending_effects');
      return rows.length > 0 ? rows : undefined;
    });
    expect(JSON.stringify(pending)).toContain('sealedHeaders');
    expect(JSON.stringify(pending)).not.toMatch(/sk_live|acme-Bo/);
    // Another runtime takes the unanswered call for one cut off by a crash, and runs it again.
    const second = await startTestRuntime(api.db, api.bus, { staleEffectMs: 300, maintenanceMs: 100 });
    try {
      await waitFor(async () => (received.length >= before + 2 ? true : undefined));
      expect(received[before + 1]?.headers.authorization).toBe(KEY);
      expect(received[before + 1]?.headers['x-tenant']).toBe('acme-Bo');
    } finally {
      for (const answer of held.splice(0)) answer();
      await second.stop();
    }
    expect((await reply).status).toBe(200);
  });
  it('encrypts header values an earlier release stored in clear, keeping them', async () => {
    const created = await editor.call('post', '/flows', { name: 'Legacy', definition: crmFlow() });
    const legacyId: string = created.body.id;
    expect((await editor.call('post', `/flows/${legacyId}/publish`)).status).toBe(201);
    // As an earlier release stored them: header values in clear, in the draft and the version.
    const plain = JSON.stringify(crmFlow());
    const storeInClear = async () => {
      await api.db.query('update flows set draft = $2::jsonb where id = $1', [legacyId, plain]);
      await api.db.query('update flow_versions set definition = $2::jsonb where flow_id = $1', [
        legacyId,
        plain,
      ]);
    };
    await storeInClear();
    // The editor gets masked values and saves them back: the values in clear are kept, encrypted.
    expect(
      (await saveDraft(editor, (definition) => Object.assign(definition, { name: 'Legacy 2' }), legacyId))
        .status,
    ).toBe(200);
    expect((await editor.call('post', `/flows/${legacyId}/validate`)).body.errors).toEqual([]);
    expect((await callCrm('draft', legacyId)).headers.authorization).toBe(KEY);
    // Every API process encrypts what is left when it starts; the version still sends its value.
    await storeInClear();
    await api.api.bootstrap();
    expect(await tablesContaining(api.db, 'sk_live')).toEqual([]);
    expect((await callCrm(1, legacyId)).headers.authorization).toBe(KEY);
    expect((await callCrm('draft', legacyId)).headers.authorization).toBe(KEY);
  });
  // Last: the test runtime keeps the old key.
  it('re-encrypts header values and signing secrets with a new key, once the API restarts with it', async () => {
    const NEW_SECRET_KEY = 'a-rotated-secret-key-9f8e7d6c5b';
    const logger = pino({ level: 'silent' });
    const restarted = (config: Partial<ApiConfig>) =>
      createApi({
        db: api.db,
        bus: api.bus,
        redis: null,
        logger,
        config: { ...api.api.context.config, ...config },
      });
    await restarted({ secretKey: NEW_SECRET_KEY, previousSecretKey: TEST_SECRET_KEY }).bootstrap();
    // Without the previous key, everything still opens.
    const { rows } = await api.db.query<{ signing_secret: string }>(
      'select signing_secret from workspaces where id = $1',
      [api.workspaceId],
    );
    const signing = SecretCipher.fromSecrets(cipherPurposes.signingSecret, NEW_SECRET_KEY);
    expect(signing.openText(rows[0]?.signing_secret ?? '', api.workspaceId)).toBe(
      'a-plaintext-legacy-secret-1',
    );
    const onlyNew = restarted({ secretKey: NEW_SECRET_KEY });
    const server = onlyNew.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
      const validated = await fetch(`${base}/flows/${flowId}/validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${editor.token}` },
      });
      expect(((await validated.json()) as { errors: unknown[] }).errors).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function headersOf(definition: unknown): unknown {
  return (definition as { nodes: { config: { headers?: unknown } }[] }).nodes[0]?.config.headers;
}

function setHeader(definition: Record<string, unknown>, name: string, value: string): void {
  const call = (definition.nodes as { config: { headers: Record<string, unknown> } }[])[0];
  if (call !== undefined) call.config.headers[name] = value;
}

/** A request the stand-in CRM received. */
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  method: string;
  url: string;
}

/** Checks the v1 signature as docs/security.md tells receivers to. */
function expectSignedWith(request: Received, secret: string): void {
  const timestamp = String(request.headers['x-parley-timestamp']);
  const expected = createHmac('sha256', secret)
    .update(`v1\n${timestamp}\n${request.method}\n${request.url}\n${request.body}`)
    .digest('hex');
  expect(request.headers['x-parley-signature']).toBe(`v1=${expected}`);
}
