/**
 * Hostile input, generated from the live OpenAPI document: every write operation gets malformed
 * JSON, wrong content types, an oversized body, deep nesting, wrong types, unknown fields,
 * injection strings, NUL bytes and broken Unicode; every operation with path or query parameters
 * gets values that are not valid. All of it must be a clear 4xx JSON error (never a 5xx), and
 * nothing stored before may be lost. Then the concurrency, versioning, import, audit and sign-in
 * guarantees that hostile or careless clients lean on.
 */
import { randomUUID } from 'node:crypto';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenFlow, intakeFlow } from './support/flows.js';
import {
  allFields,
  fillPath,
  isWrite,
  type Json,
  type Operation,
  operationsOf,
  type RawReply,
  ReplyChecker,
  type SendOptions,
  sampleOf,
  send,
  startRuntime,
  stringFields,
  uniquePhone,
  withField,
} from './support/openapi-contract.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi } from './support/test-api.js';

const BODY_LIMIT_BYTES = 256 * 1024;
const PASSWORD = 'a long enough password';

const api = await startTestApi({
  bodyLimit: `${BODY_LIMIT_BYTES / 1024}kb`,
  simulatorTimeoutMs: 10_000,
});
const doc: Json = (await send(api.base, 'get', '/openapi.json')).body;
const operations = operationsOf(doc);
const writes = operations.filter(isWrite);
const checker = new ReplyChecker(doc);

// ---------------------------------------------------------------------------------------------
// Hostile values.

const SQL = "'; drop table flows; --";
const XSS = '<script>alert(document.cookie)</script>';
/** Strings that are valid text: stored verbatim or refused by a rule, never a 5xx. */
const NASTY_BUT_VALID = [
  SQL,
  `" or 1=1 --`,
  XSS,
  '"><img src=x onerror=alert(1)>',
  `{{contact.name}} \${process.env} %s%n`,
  '../../etc/passwd',
  'Ω≈ç√∫ 🤖👩‍👩‍👧 עברית \u202eRTL ﷽',
  ' \t\r\n ',
];
/** Strings Postgres cannot store or no field may hold: a 400. */
const INVALID_STRINGS: [string, string][] = [
  ['a NUL byte', 'a\u0000b'],
  ['an unpaired surrogate', 'a\ud800b'],
  ['a huge string', 'x'.repeat(100_000)],
];
const DEPTH = 10_000;
const deep = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;

/** Wrong-typed values for a field, by what it accepts. */
function wrongTypes(schema: Json): unknown[] {
  const types = new Set([schema.type, ...(schema.anyOf ?? []).map((variant: Json) => variant.type)]);
  const values: unknown[] = [];
  if (!types.has('string')) values.push('text');
  if (!types.has('integer') && !types.has('number')) values.push(12345);
  if (!types.has('boolean')) values.push(true);
  if (!types.has('array')) values.push(['a']);
  if (!types.has('object')) values.push({ nested: SQL });
  if (types.has('integer')) values.push(1.5, 'abc');
  if (!types.has('null') && schema.const === undefined) values.push(null);
  return values;
}

/** Invalid values of a query parameter (out of its range, of the wrong kind). */
function badQueryValues(schema: Json): string[] {
  const values = ['\u0000'];
  const variants = [schema, ...(schema.anyOf ?? [])];
  const integer = variants.find((variant) => variant.type === 'integer' || variant.type === 'number');
  if (integer !== undefined) {
    values.push('abc', '1.5', '1e400', '99999999999999999999', '2147483648');
    if (integer.minimum !== undefined) values.push(String(integer.minimum - 1), '-1');
    if (integer.maximum !== undefined) values.push(String(integer.maximum + 1));
  }
  const string = variants.find((variant) => variant.type === 'string');
  if (string?.format === 'date-time') {
    values.push(
      'yesterday',
      '0000-01-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2024-01-01T00:00:00+16:00',
      '2024-01-01',
    );
  } else if (string?.format === 'uuid') values.push('not-a-uuid', SQL);
  else if (string?.maxLength !== undefined) values.push('x'.repeat(string.maxLength + 1));
  if (variants.some((variant) => variant.const !== undefined) || schema.enum !== undefined)
    values.push('bogus');
  if (variants.some((variant) => variant.type === 'boolean')) values.push('maybe');
  return [...new Set(values)];
}

const BAD_IDS = [
  'not-a-uuid',
  '1',
  encodeURIComponent(SQL),
  '%00',
  '..%2F..%2Fusers',
  'a'.repeat(300),
  '%E0%A4%A',
  '00000000-0000-4000-8000-00000000000g',
  `${randomUUID()}x`,
];
const BAD_VERSIONS = ['0', '-1', 'abc', '1.5', '2147483648', '99999999999999999999', '1e400', '%00'];
/** Bad values of a path parameter, from its schema. */
function badPathValues(schema: Json): string[] {
  if (schema.format === 'uuid') return BAD_IDS;
  if (schema.type === 'integer') return BAD_VERSIONS;
  // Free text (a contact's phone or channel id): only what no text may be.
  return ['%00', '%ED%A0%80', '%E0%A4%A', 'x'.repeat((schema.maxLength ?? 1000) + 1)];
}
const SEEDED_CONTACT = '+14155550100';

// ---------------------------------------------------------------------------------------------
// The seeded data that must survive, and valid requests to corrupt.

let runtime: RuntimeService;
let admin: string;
let adminId: string;
/** A session of its own for the sign-out barrage: if one got through, only it would end. */
let spareSession: string;
const tokenFor = (operation: Operation) => (operation.key === 'POST /auth/logout' ? spareSession : admin);
const seeded = { flow: '', etag: '', number: '', session: '', conversation: '', testFlow: '', test: '' };
/** A conversation test of the intake flow. */
const intakeTest = {
  name: 'Greets',
  contact: { name: 'Eve' },
  turns: [{ user: 'hi', bot: [{ text: 'Hi Eve!' }, { text: 'What’s your email?' }] }],
  result: { status: 'active', answers: {} },
};
let before: Record<string, unknown>;

async function must(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
  token = admin,
) {
  const reply = await send(api.base, method, path, {
    token,
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
  });
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
  return reply.body;
}

async function publishedFlow(name: string) {
  const flow = await must('post', '/flows', { name, definition: intakeFlow(name) });
  await must('post', `/flows/${flow.id}/publish`);
  return flow.id as string;
}

/** What the barrage must leave alone. */
async function state() {
  const { rows } = await api.db.query(
    `select
       (select json_build_object('etag', draft_etag, 'draft', md5(draft::text), 'name', name, 'deleted', deleted_at is not null)
          from flows where id = $1) as flow,
       (select json_agg(json_build_object('version', version, 'status', status, 'checksum', checksum) order by version)
          from flow_versions where flow_id = $1 and status <> 'draft') as versions,
       (select count(*)::int from responses where flow_id = $1) as responses,
       (select count(*)::int from conversations where id = $2) as conversation,
       (select json_build_object('phone', phone, 'desired', desired_connected) from numbers where id = $3) as number,
       (select count(*)::int from numbers where id = $4) as session,
       (select count(*)::int from flows where deleted_at is not null) as deleted_flows,
       (select count(*)::int from workspace_members) >= 1 as members`,
    [seeded.flow, seeded.conversation, seeded.number, seeded.session],
  );
  return rows[0] as Record<string, unknown>;
}

const DEFINITION_BODIES = new Set(['PUT /flows/{id}/draft', 'POST /flows/import']);

/** A request that would be valid (the barrage then spoils one thing at a time). */
function validRequest(operation: Operation): {
  values: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
} {
  // Tests are written to a flow of their own; runs go to the seeded flow, which has none (a quick 422).
  const id = /^\/flows\/\{id\}\/(tests\/\{|tests$|test-settings)/.test(operation.path)
    ? seeded.testFlow
    : operation.path.startsWith('/flows/')
      ? seeded.flow
      : operation.path.startsWith('/numbers/')
        ? seeded.number
        : operation.path.startsWith('/conversations/')
          ? seeded.conversation
          : seeded.session;
  // The seeded conversation's contact: erasing it would lose the seeded response.
  const values = {
    id,
    v: 1,
    a: 1,
    b: 2,
    phone: SEEDED_CONTACT,
    testId: seeded.test,
    // A file key of this workspace that holds nothing.
    workspaceId: api.workspaceId,
    folder: '0'.repeat(32),
    file: `${randomUUID()}-photo.png`,
  };
  const bodies: Record<string, unknown> = {
    'POST /auth/login': { email: `nobody-${randomUUID()}@example.com`, password: 'wrong password' },
    'POST /users': { email: `user-${randomUUID()}@example.com`, password: PASSWORD, role: 'viewer' },
    'POST /api-keys': { name: 'Hostile', role: 'viewer', expiresInDays: 30 },
    'POST /ai/credentials': { name: 'Hostile', kind: 'openai', apiKey: 'sk-hostile' },
    'PUT /ai/quota': { monthlyTokens: 1_000_000 },
    'POST /alert-rules': { name: 'Hostile', kind: 'number_down', params: { minutes: 5 } },
    'PATCH /alert-rules/{id}': { name: 'Hostile' },
    'POST /flows': { name: 'Hostile' },
    'POST /flows/import': intakeFlow('Imported'),
    // A stale etag: whatever gets through validation is refused with 412, so the draft stays.
    'PUT /flows/{id}/draft': { definition: intakeFlow('Seeded') },
    'POST /numbers': { phone: uniquePhone(), label: 'Hostile' },
    'PUT /numbers/{id}/flow': { flowId: seeded.flow },
    'POST /simulator/sessions': { flowId: seeded.flow, contact: { name: 'Eve', phone: '+14155550199' } },
    'POST /simulator/sessions/{id}/messages': { text: 'hi' },
    'PATCH /numbers/{id}': { label: 'Main', settings: { sendPerSecond: 0.5 } },
    'POST /numbers/{id}/connect': { method: 'qr', phone: '+14155550123' },
    'PUT /workspace/retention': { retentionDays: 3650 },
    'PUT /workspace/business-hours': { businessHours: null },
    'POST /workspaces': { name: 'Hostile' },
    'POST /flows/{id}/tests': intakeTest,
    'PUT /flows/{id}/tests/{testId}': intakeTest,
  };
  const body =
    operation.key in bodies
      ? bodies[operation.key]
      : operation.body === undefined
        ? undefined
        : sampleOf(operation.body);
  return {
    values,
    ...(body === undefined ? {} : { body }),
    ...(operation.key === 'PUT /flows/{id}/draft' ? { headers: { 'if-match': '"stale-etag"' } } : {}),
  };
}

/** A Flow Document whose texts are all `text`. */
function definitionWith(text: string) {
  const flow = intakeFlow(text);
  for (const node of flow.nodes as { config: Record<string, unknown> }[]) {
    for (const key of ['text', 'prompt']) if (key in node.config) node.config[key] = text;
  }
  (flow.triggers[0] as { keywords: string[] }).keywords = [text];
  return flow;
}

interface Variant {
  name: string;
  path: string;
  options: SendOptions;
  /** 'client': a 4xx is required. 'any': anything but a 5xx (valid if odd input). */
  expect: 'client' | 'any';
}

function bodyVariants(operation: Operation): Variant[] {
  const valid = validRequest(operation);
  const path = fillPath(operation.path, valid.values);
  const headers = valid.headers ?? {};
  const at = (name: string, options: SendOptions, expect: Variant['expect'] = 'client'): Variant => ({
    name,
    path,
    options: { token: tokenFor(operation), ...options, headers: { ...headers, ...options.headers } },
    expect,
  });
  const text = JSON.stringify(valid.body ?? { unexpected: 1 });
  const variants: Variant[] = [
    ...['{', '{"name":', "{'name': 'x'}", '{"a":1}}', '[1,]', 'undefined', '\u0000{}'].map((raw) =>
      at(`malformed JSON ${JSON.stringify(raw)}`, { raw }),
    ),
    ...[
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/xml',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/json; charset=latin1',
    ].map((type) => at(`content-type ${type}`, { raw: text, headers: { 'content-type': type } })),
    at('a body without a content-type', { raw: Buffer.from(text), headers: { 'content-type': '' } }),
    at('a body over the size limit', { raw: JSON.stringify({ pad: 'x'.repeat(BODY_LIMIT_BYTES + 1024) }) }),
    at(`JSON nested ${DEPTH} deep`, { raw: `{"deep":${deep}}` }),
    ...['[]', '"text"', '123', 'null', 'true', '[{"name":"x"}]'].map((raw) => at(`a ${raw} body`, { raw })),
    at('an unknown field', { body: { ...(valid.body as object), unexpected: SQL } }),
    at('a NUL byte in a field name', { raw: `{"na\\u0000me":1,${text.slice(1, -1) || '"x":1'}}` }),
  ];
  if (operation.body === undefined) return variants;

  // Each declared field: deep nesting, wrong types.
  for (const field of allFields(operation.body)) {
    const name = field.path.join('.');
    variants.push(
      at(`${name} nested ${DEPTH} deep`, {
        raw: JSON.stringify(withField(valid.body, field.path, '@DEEP@')).replace('"@DEEP@"', deep),
      }),
    );
    for (const value of wrongTypes(field.schema)) {
      variants.push(
        at(`${name} = ${JSON.stringify(value)}`, { body: withField(valid.body, field.path, value) }),
      );
    }
  }
  // Each string field: injections (stored verbatim or refused), and what must be refused.
  for (const field of stringFields(operation.body)) {
    const name = field.path.join('.');
    for (const value of NASTY_BUT_VALID) {
      variants.push(
        at(`${name} = ${JSON.stringify(value)}`, { body: withField(valid.body, field.path, value) }, 'any'),
      );
    }
    for (const [label, value] of INVALID_STRINGS) {
      variants.push(at(`${name} with ${label}`, { body: withField(valid.body, field.path, value) }));
    }
  }
  // Bodies that carry a whole Flow Document: hostile texts inside it.
  if (DEFINITION_BODIES.has(operation.key) || operation.key === 'POST /flows') {
    const wrap = (definition: unknown) =>
      operation.key === 'POST /flows/import' ? definition : { ...(valid.body as object), definition };
    // Long texts, kept under the body limit (six of them in the document).
    for (const value of [...NASTY_BUT_VALID, 'x'.repeat(30_000)]) {
      variants.push(
        at(
          `a definition with texts ${JSON.stringify(value.slice(0, 40))}`,
          { body: wrap(definitionWith(value)) },
          'any',
        ),
      );
    }
    for (const [label, value] of INVALID_STRINGS.slice(0, 2)) {
      variants.push(at(`a definition with ${label}`, { body: wrap(definitionWith(value)) }));
    }
    variants.push(
      at(`a definition nested ${DEPTH} deep`, {
        raw: JSON.stringify(wrap({ deep: '@DEEP@' })).replace('"@DEEP@"', deep),
      }),
    );
  }
  return variants;
}

function pathVariants(operation: Operation): Variant[] {
  const valid = validRequest(operation);
  const options: SendOptions = {
    token: tokenFor(operation),
    ...(valid.body === undefined ? {} : { body: valid.body }),
    ...(valid.headers === undefined ? {} : { headers: valid.headers }),
  };
  const variants: Variant[] = [];
  for (const param of operation.pathParams) {
    for (const bad of badPathValues(operation.pathSchemas[param])) {
      const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
        name === param ? bad : encodeURIComponent(String(valid.values[name as keyof typeof valid.values])),
      );
      variants.push({ name: `{${param}} = ${bad.slice(0, 40)}`, path, options, expect: 'client' });
    }
  }
  return variants;
}

function queryVariants(operation: Operation): Variant[] {
  const valid = validRequest(operation);
  const path = fillPath(operation.path, valid.values);
  return operation.query.flatMap(({ name, schema }) =>
    badQueryValues(schema).map((value) => {
      return {
        name: `?${name}=${value.slice(0, 40)}`,
        path: `${path}?${name}=${encodeURIComponent(value)}`,
        options: { token: admin },
        expect: 'client' as const,
      };
    }),
  );
}

/** Hostile calls made, by kind, for the summary. */
const sent = { body: 0, path: 0, query: 0 };

async function run(operation: Operation, variants: Variant[], kind: keyof typeof sent): Promise<string[]> {
  const problems: string[] = [];
  sent[kind] += variants.length;
  for (const variant of variants) {
    let reply: RawReply;
    try {
      reply = await send(api.base, operation.method, variant.path, variant.options);
    } catch (error) {
      problems.push(
        `${operation.key} [${variant.name}]: the connection failed (${(error as Error).message})`,
      );
      continue;
    }
    problems.push(...checker.check(operation, reply, variant.name));
    if (variant.expect === 'client' && (reply.status < 400 || reply.status >= 500)) {
      problems.push(
        `${operation.key} [${variant.name}] → ${reply.status}, expected a 4xx: ${reply.text.slice(0, 200)}`,
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('hostile input (generated from the live OpenAPI document)', () => {
  beforeAll(async () => {
    runtime = await startRuntime(api.db, api.bus);
    admin = api.admin.token;
    adminId = api.adminUserId;
    spareSession = (await api.login(ADMIN_EMAIL, ADMIN_PASSWORD)).token;
    seeded.flow = await publishedFlow('Seeded');
    const flow = await must('get', `/flows/${seeded.flow}`);
    const changed = intakeFlow('Seeded');
    (changed.nodes[0] as { config: { text: string } }).config.text = 'Welcome back {{contact.name}}!';
    await must(
      'put',
      `/flows/${seeded.flow}/draft`,
      { definition: changed },
      { 'if-match': flow.draft.etag },
    );
    await must('post', `/flows/${seeded.flow}/publish`);
    seeded.number = (await must('post', '/numbers', { phone: uniquePhone(), label: 'Main' })).id;
    seeded.session = (await must('post', '/simulator/sessions', { flowId: seeded.flow })).id;
    seeded.testFlow = await publishedFlow('Tested');
    seeded.test = (await must('post', `/flows/${seeded.testFlow}/tests`, intakeTest)).id;
    // A completed conversation with its response, as the runtime writes them.
    const { rows } = await api.db.query<{ id: string }>(
      `select id from flow_versions where flow_id = $1 and version = 1`,
      [seeded.flow],
    );
    const versionId = (rows[0] as { id: string }).id;
    seeded.conversation = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status,
         answers, variables, started_at, ended_at)
       values ($1, $2, $3, '${SEEDED_CONTACT}', $4, $5, $6, 'completed', '{"email":"a@b.co","plan":"pro"}',
         '{"email":"a@b.co","plan":"pro"}', now() - interval '1 minute', now())`,
      [
        seeded.conversation,
        api.workspaceId,
        seeded.number,
        seeded.flow,
        versionId,
        `engine-${seeded.conversation}`,
      ],
    );
    await api.db.query(
      `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, completed_at)
       values ($1, $2, $3, $4, '{"email":"a@b.co","plan":"pro"}', now())`,
      [api.workspaceId, seeded.conversation, seeded.flow, versionId],
    );
    before = await state();
  });

  afterAll(async () => {
    console.info(
      `hostile input: ${writes.length} write operations, ${sent.body} body variants, ${sent.path} path-parameter variants, ${sent.query} query variants`,
    );
    await runtime?.stop();
    await api.close();
  });

  for (const operation of writes) {
    it(`${operation.key}: every body barrage answers a clear 4xx (or stores odd text verbatim), never a 5xx`, async () => {
      expect(await run(operation, bodyVariants(operation), 'body')).toEqual([]);
    });
  }

  it('every path parameter that is not an id or a version answers a 4xx', async () => {
    const problems: string[] = [];
    for (const operation of operations.filter((operation) => operation.pathParams.length > 0)) {
      problems.push(...(await run(operation, pathVariants(operation), 'path')));
    }
    expect(problems).toEqual([]);
  });

  it('every query parameter out of range answers a 4xx', async () => {
    const problems: string[] = [];
    const withQuery = operations.filter((operation) => operation.query.length > 0);
    expect(withQuery.length).toBeGreaterThan(3);
    for (const operation of withQuery)
      problems.push(...(await run(operation, queryVariants(operation), 'query')));
    // The audit cursor is a number in text: not one, or beyond bigint, is a 400 too.
    for (const cursor of ['abc', '1e30', '-5', '99999999999999999999']) {
      const reply = await send(api.base, 'get', `/audit?cursor=${cursor}`, { token: admin });
      if (reply.status !== 400) problems.push(`GET /audit ?cursor=${cursor} → ${reply.status}`);
    }
    expect(problems).toEqual([]);
  });

  it('lost nothing stored before the barrage', async () => {
    expect(
      (await send(api.base, 'get', '/me', { token: spareSession })).status,
      'the sign-out barrage ended a session',
    ).toBe(200);
    const after = await state();
    expect(after).toEqual(before);
    expect(after.versions).toHaveLength(2);
    expect(after.responses).toBe(1);
  });

  it('stores injection strings verbatim and sends them back as JSON data, never markup', async () => {
    for (const name of [SQL, XSS, 'Ω≈ç√ 🤖 \u202eRTL']) {
      const created = await send(api.base, 'post', '/flows', { token: admin, body: { name } });
      expect(created.status).toBe(201);
      expect(created.contentType).toMatch(/^application\/json/);
      expect(created.headers.get('x-content-type-options')).toBe('nosniff');
      const read = await must('get', `/flows/${created.body.id}`);
      expect(read.name).toBe(name);
      const found = await must('get', `/flows?q=${encodeURIComponent(name)}`);
      expect(found.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    }
    const { rows } = await api.db.query(`select to_regclass('flows') is not null as exists`);
    expect(rows[0]).toEqual({ exists: true });
    const number = await must('patch', `/numbers/${seeded.number}`, { label: XSS });
    expect(number.label).toBe(XSS);
    const session = (await must('post', '/simulator/sessions', { flowId: seeded.flow })).id;
    await must('post', `/simulator/sessions/${session}/messages`, { text: SQL });
    const transcript = await must('get', `/simulator/sessions/${session}`);
    expect(transcript.messages.map((message: { text: string }) => message.text)).toContain(SQL);
  });

  it('lets exactly one of ten concurrent draft saves with the same If-Match win', async () => {
    const flowId = await publishedFlow('Contended');
    const { draft } = await must('get', `/flows/${flowId}`);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(api.base, 'put', `/flows/${flowId}/draft`, {
          token: admin,
          headers: { 'if-match': `"${draft.etag}"` },
          body: { definition: intakeFlow(`Contender ${i}`) },
        }),
      ),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    const winner = replies.findIndex((reply) => reply.status === 200);
    const current = await must('get', `/flows/${flowId}`);
    expect(current.draft.definition.name).toBe(`Contender ${winner}`);
    expect(current.draft.etag).toBe(replies[winner]?.body.etag);
    for (const reply of replies.filter((reply) => reply.status === 412)) {
      expect(reply.body.error.code).toBe('precondition_failed');
      expect(reply.body.error.details.currentEtag).toBe(current.draft.etag);
    }
    // Without If-Match at all: 412 as well.
    const blind = await send(api.base, 'put', `/flows/${flowId}/draft`, {
      token: admin,
      body: { definition: intakeFlow() },
    });
    expect(blind.status).toBe(412);
  });

  it('refuses to publish an invalid flow with its problems and creates no version', async () => {
    const flow = await must('post', '/flows', { name: 'Broken', definition: brokenFlow() });
    const published = await send(api.base, 'post', `/flows/${flow.id}/publish`, { token: admin });
    expect(published.status).toBe(422);
    expect(published.body.error.code).toBe('unprocessable');
    const errors = published.body.error.details.errors as { pointer: string; message: string }[];
    expect(errors.length).toBeGreaterThan(0);
    for (const problem of errors) {
      expect(problem.pointer).toMatch(/^\//);
      expect(problem.message.length).toBeGreaterThan(3);
    }
    expect(errors.map((problem) => problem.pointer)).toContain('/triggers/0/target');
    expect((await must('get', `/flows/${flow.id}/versions`)).items).toEqual([]);
    const { rows } = await api.db.query(
      'select count(*)::int as count from flow_versions where flow_id = $1',
      [flow.id],
    );
    expect(rows[0]).toEqual({ count: 0 });
    expect((await must('get', `/flows/${flow.id}`)).publishedVersion).toBeNull();
  });

  it('rolls back by publishing a new version equal to the old one, and diffs versions readably', async () => {
    const flowId = await publishedFlow('Versions');
    const v1 = await must('get', `/flows/${flowId}/versions/1`);
    const changed = intakeFlow('Versions');
    (changed.nodes[1] as { config: { prompt: string } }).config.prompt = 'Your work email, please?';
    changed.nodes.push({ id: 'n5', type: 'message', config: { text: 'Unreachable' } } as never);
    const { draft } = await must('get', `/flows/${flowId}`);
    await must('put', `/flows/${flowId}/draft`, { definition: changed }, { 'if-match': draft.etag });
    expect(await must('post', `/flows/${flowId}/publish`)).toEqual({ version: 2 });

    const diff = await must('get', `/flows/${flowId}/versions/1/diff/2`);
    expect(diff).toMatchObject({ from: 1, to: 2 });
    const descriptions = diff.changes.map((change: { description: string }) => change.description);
    expect(descriptions).toContainEqual(expect.stringMatching(/^Question “.+”: “Question” changed$/));
    expect(descriptions).toContain('Added Send message “Unreachable”');
    for (const description of descriptions) {
      expect(description).toMatch(/^[A-Z]/);
      expect(description).not.toMatch(/undefined|\[object Object\]|null/);
    }
    expect(diff.changes.find((change: { id: string }) => change.id === 'n2')).toMatchObject({
      kind: 'changed',
      entity: 'node',
      field: '/config/prompt',
      before: 'What’s your email?',
      after: 'Your work email, please?',
    });

    const current = (await must('get', `/flows/${flowId}`)).draft;
    expect(
      await must('post', `/flows/${flowId}/versions/1/rollback`, undefined, {
        'if-match': `"${current.etag}"`,
      }),
    ).toEqual({ version: 3 });
    const v3 = await must('get', `/flows/${flowId}/versions/3`);
    expect(v3.definition).toEqual(v1.definition);
    expect(v3.checksum).toBe(v1.checksum);
    expect(v3.status).toBe('published');
    const versions = (await must('get', `/flows/${flowId}/versions`)).items;
    expect(
      versions.map((version: { version: number; status: string }) => [version.version, version.status]),
    ).toEqual([
      [3, 'published'],
      [2, 'archived'],
      [1, 'archived'],
    ]);
    expect((await must('get', `/flows/${flowId}`)).draft.definition).toEqual(v1.definition);
    expect((await must('get', `/flows/${flowId}/versions/3/diff/1`)).changes).toEqual([]);
    // Rolling back to a version that does not exist changes nothing.
    expect(
      (await send(api.base, 'post', `/flows/${flowId}/versions/9/rollback`, { token: admin })).status,
    ).toBe(404);
    expect((await must('get', `/flows/${flowId}/versions`)).items).toHaveLength(3);
  });

  it('refuses broken files on import with their problems, and imports nothing', async () => {
    const count = async () =>
      (
        (await api.db.query<{ count: number }>('select count(*)::int as count from flows')).rows[0] as {
          count: number;
        }
      ).count;
    const flows = await count();
    const broken: unknown[] = [
      { name: 'No structure' },
      { ...intakeFlow(), schemaVersion: 99 },
      { ...intakeFlow(), nodes: 'not a list' },
      { ...intakeFlow(), nodes: [{ id: 'n1', type: 'teleport', config: {} }] },
      { ...intakeFlow(), unexpected: true },
    ];
    for (const file of broken) {
      const reply = await send(api.base, 'post', '/flows/import', { token: admin, body: file });
      expect(reply.status, JSON.stringify(file).slice(0, 80)).toBe(422);
      const errors = reply.body.error.details.errors as { pointer: string; message: string }[];
      expect(errors.length).toBeGreaterThan(0);
      for (const problem of errors) {
        expect(typeof problem.pointer).toBe('string');
        expect(problem.message.length).toBeGreaterThan(3);
      }
    }
    expect(await count()).toBe(flows);
    // Readable but unfinished (a dangling trigger) imports, with the problems as warnings.
    const unfinished = await send(api.base, 'post', '/flows/import', { token: admin, body: brokenFlow() });
    expect(unfinished.status).toBe(201);
    expect(unfinished.body.warnings.length).toBeGreaterThan(0);
  });

  it('audits every mutation, with the state before and/or after it', async () => {
    // Which write operations are not admin mutations of workspace data, and why.
    const NOT_AUDITED: Record<string, string> = {
      'POST /auth/login': 'signing in',
      'POST /auth/logout': 'signing out',
      'POST /auth/logout-everywhere': 'signing out',
      'POST /auth/password-reset': 'the person’s own account; the admin’s reset is audited',
      'POST /auth/password': 'the person’s own account, not workspace data',
      'POST /flows/{id}/validate': 'reads only',
      'POST /ai/credentials/{id}/test': 'a test call: changes nothing (its failures are logged)',
      'POST /simulator/sessions/{id}/messages': 'test traffic, stored as test data',
      'POST /simulator/sessions/{id}/files': 'test traffic, stored as test data',
      'POST /simulator/sessions/{id}/locations': 'test traffic, stored as test data',
      'POST /flows/{id}/tests/run':
        'test traffic: its live-test sessions are audited (simulator.start, simulator.end); the run is kept in test runs',
      'POST /invitations/{id}/accept':
        'audited in the inviting workspace as the invitee (invitations.test.ts)',
      'POST /invitations/{id}/decline':
        'audited in the inviting workspace without a user (invitations.test.ts)',
      'POST /workspaces': 'audited in the workspace it creates (workspaces.test.ts)',
      'POST /conversations/{id}/read':
        'a read mark: how far the team has read, not a change to the conversation',
    };
    const flowId = await publishedFlow('Audited');
    const spare = await publishedFlow('Audited spare');
    const handoff = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, started_at)
       select $1, $2, $3, '+14155550177', $4, v.id, $5, 'handoff', now() from flow_versions v where v.flow_id = $4 and v.version = 1`,
      [handoff, api.workspaceId, seeded.number, flowId, `engine-${handoff}`],
    );
    // A hand-off of its own for the inbox's actions, which the release below does not end.
    const answered = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, started_at)
       select $1, $2, $3, '+14155550178', $4, v.id, $5, 'handoff', now() from flow_versions v where v.flow_id = $4 and v.version = 1`,
      [answered, api.workspaceId, seeded.number, flowId, `engine-${answered}`],
    );
    const numberId = (await must('post', '/numbers', { phone: uniquePhone(), label: 'Audited' })).id;
    // What each mutation is called with; `id` is the entity its audit entry names.
    // An erasure names no one in the audit (only what was erased, in `after`).
    type Done = { id: string | null; kind: 'create' | 'update' | 'delete' | 'erase'; action?: string };
    const after = async (work: Promise<unknown>, done: Done): Promise<Done> => {
      await work;
      return done;
    };
    const perform: Record<string, () => Promise<Done>> = {
      'POST /users': async () => ({
        id: (
          await must('post', '/users', {
            email: `audited-${randomUUID()}@example.com`,
            password: PASSWORD,
            role: 'viewer',
          })
        ).id,
        kind: 'create',
      }),
      'DELETE /users/invitations/{id}': async () => {
        const { id } = await must('post', '/users', {
          email: `revoked-${randomUUID()}@example.com`,
          password: PASSWORD,
          role: 'viewer',
        });
        await must('delete', `/users/invitations/${id}`);
        return { id, kind: 'delete' };
      },
      'PATCH /users/{id}': async () => {
        const id = (await (await api.member('viewer')).call('get', '/me')).body.id;
        await must('patch', `/users/${id}`, { role: 'editor' });
        return { id, kind: 'update', action: 'member.role_change' };
      },
      'POST /users/{id}/password-reset': async () => {
        const id = (await (await api.member('viewer')).call('get', '/me')).body.id;
        await must('post', `/users/${id}/password-reset`);
        return { id, kind: 'create', action: 'member.password_reset' };
      },
      'DELETE /users/{id}': async () => {
        const id = (await (await api.member('viewer')).call('get', '/me')).body.id;
        await must('delete', `/users/${id}`);
        return { id, kind: 'delete', action: 'member.remove' };
      },
      'POST /api-keys': async () => ({
        id: (await must('post', '/api-keys', { name: 'Audited key', role: 'viewer' })).apiKey.id,
        kind: 'create',
        action: 'api_key.create',
      }),
      'DELETE /api-keys/{id}': async () => {
        const { id } = (await must('post', '/api-keys', { name: 'Revoked key', role: 'editor' })).apiKey;
        await must('delete', `/api-keys/${id}`);
        return { id, kind: 'delete', action: 'api_key.revoke' };
      },
      'POST /ai/credentials': async () => ({
        id: (
          await must('post', '/ai/credentials', { name: 'Audited provider', kind: 'openai', apiKey: 'sk-a' })
        ).id,
        kind: 'create',
        action: 'ai_credential.create',
      }),
      'PUT /ai/credentials/{id}': async () => {
        const { id } = await must('post', '/ai/credentials', { name: 'Changed provider', kind: 'google' });
        await must('put', `/ai/credentials/${id}`, { apiKey: 'sk-b', defaultModel: 'gemini-2.5-flash' });
        return { id, kind: 'update', action: 'ai_credential.update' };
      },
      'DELETE /ai/credentials/{id}': async () => {
        const { id } = await must('post', '/ai/credentials', { name: 'Removed provider', kind: 'anthropic' });
        await must('delete', `/ai/credentials/${id}`);
        return { id, kind: 'delete', action: 'ai_credential.delete' };
      },
      'PUT /ai/quota': async () => {
        await must('put', '/ai/quota', { monthlyTokens: 2_000_000 });
        await must('put', '/ai/quota', { monthlyTokens: null });
        return { id: api.workspaceId, kind: 'update', action: 'workspace.ai_quota' };
      },
      'POST /alert-rules': async () => ({
        id: (await must('post', '/alert-rules', { name: 'Audited rule', kind: 'outbox_backlog' })).id,
        kind: 'create',
        action: 'alert_rule.create',
      }),
      'PATCH /alert-rules/{id}': async () => {
        const { id } = await must('post', '/alert-rules', { name: 'Changed rule', kind: 'number_down' });
        await must('patch', `/alert-rules/${id}`, { enabled: false });
        return { id, kind: 'update', action: 'alert_rule.update' };
      },
      'DELETE /alert-rules/{id}': async () => {
        const { id } = await must('post', '/alert-rules', { name: 'Deleted rule', kind: 'number_down' });
        await must('delete', `/alert-rules/${id}`);
        return { id, kind: 'delete', action: 'alert_rule.delete' };
      },
      'POST /flows': async () => ({
        id: (await must('post', '/flows', { name: 'Audited new' })).id,
        kind: 'create',
      }),
      'POST /flows/import': async () => ({
        id: (await must('post', '/flows/import', intakeFlow('Audited import'))).id,
        kind: 'create',
      }),
      'POST /flows/{id}/duplicate': async () => ({
        id: (await must('post', `/flows/${flowId}/duplicate`)).id,
        kind: 'create',
      }),
      'PUT /flows/{id}/draft': async () => {
        const { draft } = await must('get', `/flows/${flowId}`);
        await must(
          'put',
          `/flows/${flowId}/draft`,
          { definition: intakeFlow('Audited renamed') },
          { 'if-match': draft.etag },
        );
        return { id: flowId, kind: 'update' };
      },
      'POST /flows/{id}/publish': () =>
        after(must('post', `/flows/${flowId}/publish`), { id: flowId, kind: 'update' }),
      'POST /flows/{id}/versions/{v}/rollback': async () => {
        const { draft } = await must('get', `/flows/${flowId}`);
        await must('post', `/flows/${flowId}/versions/1/rollback`, undefined, {
          'if-match': `"${draft.etag}"`,
        });
        return { id: flowId, kind: 'update' };
      },
      'POST /flows/{id}/restore': async () => {
        const { id } = await must('post', '/flows', { name: 'Audited restore' });
        await must('delete', `/flows/${id}`);
        await must('post', `/flows/${id}/restore`);
        return { id, kind: 'update', action: 'flow.restore' };
      },
      'DELETE /flows/{id}': () => after(must('delete', `/flows/${spare}`), { id: spare, kind: 'delete' }),
      'POST /numbers': async () => ({
        id: (await must('post', '/numbers', { phone: uniquePhone() })).id,
        kind: 'create',
      }),
      'PATCH /numbers/{id}': () =>
        after(must('patch', `/numbers/${numberId}`, { label: 'Renamed' }), { id: numberId, kind: 'update' }),
      'POST /numbers/{id}/connect': () =>
        after(must('post', `/numbers/${numberId}/connect`, {}), { id: numberId, kind: 'update' }),
      'POST /numbers/{id}/cancel': () =>
        after(must('post', `/numbers/${numberId}/cancel`), { id: numberId, kind: 'update' }),
      'POST /numbers/{id}/logout': () =>
        after(must('post', `/numbers/${numberId}/logout`), { id: numberId, kind: 'update' }),
      'PUT /numbers/{id}/flow': () =>
        after(must('put', `/numbers/${numberId}/flow`, { flowId }), { id: numberId, kind: 'update' }),
      'DELETE /numbers/{id}': async () => {
        const id = (await must('post', '/numbers', { phone: uniquePhone() })).id;
        await must('delete', `/numbers/${id}`);
        return { id, kind: 'delete' };
      },
      'POST /simulator/sessions': async () => ({
        id: (await must('post', '/simulator/sessions', { flowId })).id,
        kind: 'create',
      }),
      'DELETE /simulator/sessions/{id}': async () => {
        const id = (await must('post', '/simulator/sessions', { flowId })).id;
        await must('delete', `/simulator/sessions/${id}`);
        return { id, kind: 'delete' };
      },
      'POST /flows/{id}/tests': async () => ({
        id: (await must('post', `/flows/${flowId}/tests`, intakeTest)).id,
        kind: 'create',
      }),
      'PUT /flows/{id}/tests/{testId}': async () => {
        const { id } = await must('post', `/flows/${flowId}/tests`, intakeTest);
        await must('put', `/flows/${flowId}/tests/${id}`, { ...intakeTest, name: 'Renamed' });
        return { id, kind: 'update' };
      },
      'DELETE /flows/{id}/tests/{testId}': async () => {
        const { id } = await must('post', `/flows/${flowId}/tests`, intakeTest);
        await must('delete', `/flows/${flowId}/tests/${id}`);
        return { id, kind: 'delete' };
      },
      'PUT /flows/{id}/test-settings': () =>
        after(must('put', `/flows/${flowId}/test-settings`, { mustPassToPublish: false, everyMinutes: 30 }), {
          id: flowId,
          kind: 'update',
        }),
      'POST /conversations/{id}/messages': () =>
        after(must('post', `/conversations/${answered}/messages`, { text: 'We are on it' }), {
          id: answered,
          kind: 'create',
          action: 'conversation.reply',
        }),
      'POST /conversations/{id}/attachments': () =>
        after(
          must('post', `/conversations/${answered}/attachments`, {
            name: 'menu.pdf',
            mimeType: 'application/pdf',
            data: Buffer.from('%PDF-1.4').toString('base64'),
          }),
          { id: answered, kind: 'create', action: 'conversation.attach' },
        ),
      'PUT /conversations/{id}/assignee': () =>
        after(must('put', `/conversations/${answered}/assignee`, { userId: null }), {
          id: answered,
          kind: 'update',
          action: 'conversation.assign',
        }),
      'POST /conversations/{id}/resume': () =>
        after(must('post', `/conversations/${answered}/resume`, { nodeId: 'n2' }), {
          id: answered,
          kind: 'update',
          action: 'conversation.resume',
        }),
      'POST /saved-replies': async () => ({
        id: (await must('post', '/saved-replies', { title: 'Audited reply', body: 'Hello' })).id,
        kind: 'create',
        action: 'saved_reply.create',
      }),
      'PUT /saved-replies/{id}': async () => {
        const { id } = await must('post', '/saved-replies', { title: 'Changed reply', body: 'Hello' });
        await must('put', `/saved-replies/${id}`, { title: 'Changed reply', body: 'Hello again' });
        return { id, kind: 'update', action: 'saved_reply.update' };
      },
      'DELETE /saved-replies/{id}': async () => {
        const { id } = await must('post', '/saved-replies', { title: 'Deleted reply', body: 'Bye' });
        await must('delete', `/saved-replies/${id}`);
        return { id, kind: 'delete', action: 'saved_reply.delete' };
      },
      'POST /conversations/{id}/release': () =>
        after(must('post', `/conversations/${handoff}/release`), { id: handoff, kind: 'update' }),
      'PATCH /workspace': () =>
        after(must('patch', '/workspace', { name: 'Audited workspace' }), {
          id: api.workspaceId,
          kind: 'update',
        }),
      'PUT /workspace/retention': async () => {
        await must('put', '/workspace/retention', { retentionDays: 30 });
        await must('put', '/workspace/retention', { retentionDays: null });
        return { id: api.workspaceId, kind: 'update' };
      },
      'PUT /workspace/business-hours': async () => {
        await must('put', '/workspace/business-hours', {
          businessHours: { timeZone: 'Europe/Lisbon', days: { mon: [{ from: '09:00', to: '17:00' }] } },
        });
        await must('put', '/workspace/business-hours', { businessHours: null });
        return { id: api.workspaceId, kind: 'update', action: 'workspace.business_hours' };
      },
      'DELETE /contacts/{phone}': async () => {
        const erased = await must('delete', `/contacts/${encodeURIComponent('+14155550177')}`);
        expect(erased.conversations).toBe(1);
        return { id: null, kind: 'erase', action: 'contact.purge' };
      },
    };
    const missing = writes
      .map((operation) => operation.key)
      .filter((key) => !(key in perform) && !(key in NOT_AUDITED));
    expect(missing, 'write operations without an audit expectation').toEqual([]);

    const done: [string, Done][] = [];
    for (const [key, action] of Object.entries(perform)) done.push([key, await action()]);

    const entries: Json[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await must('get', `/audit?limit=200${cursor === '' ? '' : `&cursor=${cursor}`}`);
      entries.push(...page.items);
      cursor = page.nextCursor;
    }
    const problems: string[] = [];
    for (const [key, { id, kind, action }] of done) {
      const found = entries.filter(
        (entry) =>
          (action === undefined || entry.action === action) &&
          entry.entityId === id &&
          entry.userId === adminId,
      );
      if (found.length === 0) {
        problems.push(`${key}: no audit entry for ${id}`);
        continue;
      }
      const complete = found.some((entry) =>
        kind === 'create' || kind === 'erase'
          ? entry.after !== null
          : kind === 'delete'
            ? entry.before !== null
            : entry.before !== null && entry.after !== null,
      );
      if (!complete) problems.push(`${key}: the ${kind} entry lacks before/after: ${JSON.stringify(found)}`);
    }
    expect(problems).toEqual([]);
    // The draft save records what changed, not the whole document.
    const saved = entries.find((entry) => entry.action === 'flow.save_draft' && entry.entityId === flowId);
    expect(saved.before.name).toBe('Audited');
    expect(saved.after.name).toBe('Audited renamed');
    // Viewers and editors do not read the audit log.
    const viewer = await api.member('viewer');
    expect((await viewer.call('get', '/audit')).status).toBe(403);
  });

  it('revokes the token on sign-out (401 afterwards), and only that one', async () => {
    const viewer = await api.member('viewer');
    expect((await viewer.call('get', '/me')).status).toBe(200);
    expect((await viewer.call('post', '/auth/logout')).status).toBe(204);
    const after = await viewer.call('get', '/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    expect((await viewer.call('post', '/auth/logout')).status).toBe(401);
    expect((await send(api.base, 'get', '/me', { token: admin })).status).toBe(200);
  });
});
