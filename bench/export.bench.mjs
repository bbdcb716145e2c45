// Export throughput: CSV of N completed responses through the Admin API over HTTP, against
// Postgres's own `COPY (SELECT …) TO STDOUT (FORMAT csv)` of the same rows and columns, in the same
// run on the same database. The ratio (API ÷ COPY) is the figure to watch (target ≥ 0.5).
//
// Needs Postgres (PARLEY_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test); makes
// a fresh database and drops it at the end. BENCH_EXPORT_ROWS changes N (default 200,000).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createApi } from '@parley/admin-api';
import { MemoryBus } from '@parley/bus';
import { createPgDb, migrate } from '@parley/db';
import { deriveForm } from '@parley/schemas';
import pgCopyStreams from 'pg-copy-streams';
import { pino } from 'pino';
import { collectGarbage, nowMs, percentile, report } from './lib.mjs';

const N = Number(process.env.BENCH_EXPORT_ROWS ?? 200_000);
const RUNS = 3;
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password, long enough';

const question = (id, variable, answer, extra = {}) => ({
  id,
  type: 'question',
  config: { prompt: `${variable}?`, variable, answer, ...extra },
});
const FLOW = {
  schemaVersion: 1,
  name: 'Export bench',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'q1' }],
  nodes: [
    question('q1', 'name', { type: 'string' }),
    question('q2', 'email', { type: 'string', format: 'email' }),
    question('q3', 'plan', { type: 'string', enum: ['basic', 'pro'] }),
    question('q4', 'tags', { type: 'array', items: { type: 'string' } }),
    question('q5', 'rating', { type: 'integer' }),
    question('q6', 'comment', { type: 'string' }),
    { id: 'end', type: 'end', config: {} },
  ],
  edges: ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'end']
    .slice(1)
    .map((target, index) => ({ id: `e${index}`, source: `q${index + 1}`, sourceHandle: 'next', target })),
};
const VARIABLES = ['name', 'email', 'plan', 'tags', 'rating', 'comment'];

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function seed(db) {
  const one = async (sql, params) => (await db.query(sql, params)).rows[0];
  const workspace = await one(
    `select m.workspace_id as id from workspace_members m join users u on u.id = m.user_id limit 1`,
  );
  const number = await one(
    `insert into numbers (workspace_id, phone) values ($1, '+15550009999') returning id`,
    [workspace.id],
  );
  const flow = await one(
    `insert into flows (workspace_id, name, draft) values ($1, 'Export bench', $2) returning id`,
    [workspace.id, JSON.stringify(FLOW)],
  );
  const version = await one(
    `insert into flow_versions (workspace_id, flow_id, version, status, definition, answers_schema, checksum, published_at)
     values ($1, $2, 1, 'published', $3, $4, 'bench', now()) returning id`,
    [workspace.id, flow.id, JSON.stringify(FLOW), JSON.stringify(deriveForm(FLOW).answersSchema)],
  );
  await db.query(
    `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
       status, current_node, answers, is_test, started_at, ended_at)
     select gen_random_uuid(), $1, $2, '+1555' || lpad(i::text, 7, '0'), 'Contact ' || i, $3, $4, 'e' || i, 'completed', 'end',
       jsonb_build_object('name', 'Person ' || i, 'email', 'person' || i || '@example.com',
         'plan', case when i % 3 = 0 then 'pro' else 'basic' end, 'tags', jsonb_build_array('news', 'offers'),
         'rating', i % 5 + 1, 'comment', case when i % 7 = 0 then 'Great, "really" great' else 'ok' end),
       false, t - interval '95 seconds', t
     from generate_series(1, $5::integer) i, lateral (select timestamptz '2026-01-01' + i * interval '1 second' as t) times`,
    [workspace.id, number.id, flow.id, version.id, N],
  );
  await db.query(
    `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at)
     select workspace_id, id, flow_id, flow_version_id, answers, is_test, ended_at from conversations where flow_id = $1`,
    [flow.id],
  );
  await db.query('vacuum analyze conversations');
  await db.query('vacuum analyze responses');
  return { workspaceId: workspace.id, flowId: flow.id };
}

/** The same rows and columns as the API's CSV, in the same order, formatted by Postgres. */
function copySql(workspaceId, flowId) {
  const answers = VARIABLES.map((variable) =>
    variable === 'tags'
      ? `(select string_agg(value, ', ') from jsonb_array_elements_text(r.answers -> 'tags')) as tags`
      : `r.answers ->> '${variable}' as ${variable}`,
  );
  return `copy (select r.conversation_id, c.contact, c.contact_name, v.version, 'completed' as status,
      to_char(c.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as started_at,
      to_char(r.completed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as completed_at,
      ${answers.join(', ')}
    from responses r join conversations c on c.id = r.conversation_id join flow_versions v on v.id = r.flow_version_id
    where r.workspace_id = '${workspaceId}' and r.flow_id = '${flowId}' and not r.is_test
    order by r.completed_at desc, r.conversation_id desc) to stdout (format csv, header)`;
}

/** Newline bytes in a chunk (native search, so the counting client costs next to nothing). */
function newlines(chunk) {
  let count = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) count += 1;
  return count;
}

async function copyOnce(client, sql) {
  const started = nowMs();
  let bytes = 0;
  let lines = 0;
  const stream = client.query(pgCopyStreams.to(sql));
  for await (const chunk of stream) {
    bytes += chunk.length;
    lines += newlines(chunk);
  }
  return { ms: nowMs() - started, bytes, rows: lines - 1 };
}

/** GET with node:http (a plain stream: less client work in this process than fetch's web streams). */
function get(url, token, onChunk) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`export answered ${response.statusCode}`));
      response.on('data', onChunk);
      response.on('end', resolve);
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function httpOnce(url, token) {
  const started = nowMs();
  let bytes = 0;
  let lines = 0;
  await get(url, token, (chunk) => {
    bytes += chunk.length;
    lines += newlines(chunk);
  });
  return { ms: nowMs() - started, bytes, rows: lines - 1 };
}

/**
 * Live heap while an export runs (untimed): every 100 ms a full collection, then heapUsed, so what
 * is measured is what the process keeps, not garbage waiting for the collector. This process runs
 * the API and the client (which only counts bytes).
 */
async function liveHeapGrowthMiB(url, token) {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = 0;
  const sampler = setInterval(() => {
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().heapUsed - before);
  }, 100);
  try {
    await get(url, token, () => undefined);
  } finally {
    clearInterval(sampler);
  }
  return peak / 2 ** 20;
}

const adminDb = createPgDb({ connectionString: POSTGRES_URL, max: 1 });
const name = `parley_bench_${randomBytes(5).toString('hex')}`;
await adminDb.query(`create database ${name}`);
const url = withDatabase(POSTGRES_URL, name);
const db = createPgDb({ connectionString: url, max: 10 });
let server;
try {
  await migrate(db);
  const api = createApi({
    db,
    bus: new MemoryBus(),
    redis: null,
    logger: pino({ level: 'silent' }),
    config: {
      port: 0,
      dataDir: '.parley-bench',
      redisPrefix: 'parley-bench:',
      adminEmail: 'bench@parley.local',
      adminPassword: PASSWORD,
      secretKey: randomBytes(32).toString('hex'),
      jwtSecret: randomBytes(32).toString('hex'),
      corsOrigins: [],
      bodyLimit: '2mb',
      loginPerMinute: 1000,
      apiPerMinute: 1_000_000,
      // Measures the API itself, not its refusals when saturated.
      loadShedding: { maxInFlight: 0, maxLagMs: 0 },
    },
  });
  await api.bootstrap();
  server = await new Promise((resolve) => {
    const listening = api.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${server.address().port}/api/v1`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@parley.local', password: PASSWORD }),
  });
  const { token } = await login.json();

  const seedStart = nowMs();
  const { workspaceId, flowId } = await seed(db);
  const seedMs = nowMs() - seedStart;

  const copyClient = new (await import('pg')).default.Client({ connectionString: url });
  await copyClient.connect();
  const exportUrl = `${base}/flows/${flowId}/responses/export?format=csv`;
  const sql = copySql(workspaceId, flowId);
  // One untimed run of each warms caches and the JIT; then they alternate.
  await copyOnce(copyClient, sql);
  await httpOnce(exportUrl, token);
  const copies = [];
  const https = [];
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    copies.push(await copyOnce(copyClient, sql));
    collectGarbage();
    https.push(await httpOnce(exportUrl, token));
  }
  await copyClient.end();
  const csvHeap = await liveHeapGrowthMiB(exportUrl, token);
  const xlsxHeap = await liveHeapGrowthMiB(`${base}/flows/${flowId}/responses/export?format=xlsx`, token);
  for (const result of [...copies, ...https]) {
    if (result.rows !== N) throw new Error(`expected ${N} rows, got ${result.rows}`);
  }
  const httpMs = percentile(
    https.map((run) => run.ms),
    50,
  );
  const copyMs = percentile(
    copies.map((run) => run.ms),
    50,
  );
  const httpRate = N / (httpMs / 1000);
  const copyRate = N / (copyMs / 1000);
  report(
    'export',
    {
      rows: [N, 'rows'],
      api_csv_rows_per_s: [httpRate, 'rows/s'],
      copy_csv_rows_per_s: [copyRate, 'rows/s'],
      ratio_api_to_copy: [httpRate / copyRate, '×'],
      api_csv_mib: [(https[0]?.bytes ?? 0) / 2 ** 20, 'MiB'],
      copy_csv_mib: [(copies[0]?.bytes ?? 0) / 2 ** 20, 'MiB'],
      api_csv_live_heap_growth: [csvHeap, 'MiB'],
      api_xlsx_live_heap_growth: [xlsxHeap, 'MiB'],
      seed_s: [seedMs / 1000, 's'],
    },
    {
      title: `Responses export: CSV of ${N.toLocaleString('en-US')} rows, API over HTTP vs Postgres COPY (median of ${RUNS})`,
      notes: [
        'API: a server-side cursor read 2,000 rows per FETCH (next one prefetched), Papa Parse, formula guard, BOM,',
        'written with backpressure; the client only counts bytes.',
        'COPY: the same SELECT (joins, order, ISO times, arrays joined) formatted by Postgres, read through pg-copy-streams.',
        'Live heap growth: peak heapUsed after forced collections during one more export (CSV, then XLSX).',
      ],
    },
  );
} finally {
  server?.closeAllConnections();
  server?.close();
  await db.close();
  await adminDb.query(`drop database if exists ${name} with (force)`);
  await adminDb.close();
}
