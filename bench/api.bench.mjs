// Admin API latency and throughput on real Postgres: `GET /api/v1/flows/{id}` and the simulator's
// `POST /api/v1/simulator/sessions/{id}/messages` (a five-question text flow, 50 conversations at
// once, each message answered by a real runtime in this process on the same database and an
// in-process bus), next to baselines measured in the same run: a bare `select 1` on the same pool
// and a bare Express endpoint serving the same JSON. The load comes from a worker thread (its own
// event loop) over keep-alive connections to 127.0.0.1.
//
// Env: BENCH_API_CONCURRENCY (50), BENCH_API_GETS (20000), BENCH_API_ROUNDS (5 conversations of 6
// messages per session), BENCH_API_POOL (10, the product's default), PARLEY_TEST_POSTGRES_URL.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const CONCURRENCY = Number(process.env.BENCH_API_CONCURRENCY ?? 50);
const GETS = Number(process.env.BENCH_API_GETS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 5);
const POOL = Number(process.env.BENCH_API_POOL ?? 10);
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench password, long enough';
/** Ten times Typebot's 73 answers/s, measured on this kind of machine (50 conversations). */
const TARGET_RATE = 730;

// ---------------------------------------------------------------------------------------------
// The load generator (worker thread): closed loops, one request in flight per loop.

function request(agent, url, { method = 'GET', token, body } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function generateLoad({ kind, url, token, concurrency, warmup, count, sessions, scripts, ratePerSec }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const now = () => performance.now();
  const errors = [];
  const latencies = [];
  let completed = 0;
  let last = null;
  if (kind === 'get') {
    // `warmup` then `count` requests, shared by `concurrency` loops.
    let issued = 0;
    const total = warmup + count;
    let startedAt = null;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const index = issued++;
          if (index >= total) return;
          if (index === warmup) startedAt = now();
          const start = now();
          const reply = await request(agent, url, { token });
          if (reply.status !== 200) errors.push(`${reply.status} ${reply.text.slice(0, 200)}`);
          if (index >= warmup) latencies.push(now() - start);
        }
      }),
    );
    const seconds = (now() - startedAt) / 1000;
    agent.destroy();
    return { latencies, seconds, errors };
  }
  // Simulator: every loop is one conversation's session; it sends its script `rounds` times (each
  // round a whole conversation, from "hi" to the end), the first round untimed. With `ratePerSec`
  // the loops are paced (an open load): message k of loop i is due at start + (k·n + i)/rate, goes
  // out when due or, if the previous reply is late, as soon as it arrives, and its latency counts
  // from when it was due — so a slow reply also charges the messages it held up.
  const interval = ratePerSec === undefined ? 0 : (sessions.length * 1000) / ratePerSec;
  let startedAt = null;
  let warmupLeft = sessions.length;
  let release;
  const warmedUp = new Promise((resolve) => {
    release = resolve;
  });
  await Promise.all(
    sessions.map(async (session, i) => {
      const script = scripts[i];
      const say = async (text) => {
        const start = now();
        const reply = await request(agent, `${url}/${session}/messages`, {
          method: 'POST',
          token,
          body: { text },
        });
        const ms = now() - start;
        if (reply.status !== 200) {
          errors.push(`${reply.status} ${reply.text.slice(0, 200)}`);
          return { ms, body: null };
        }
        return { ms, body: JSON.parse(reply.text) };
      };
      for (const text of script) await say(text);
      warmupLeft -= 1;
      if (warmupLeft === 0) {
        startedAt = now();
        release();
      }
      await warmedUp;
      let due = startedAt + (i * interval) / sessions.length;
      for (let round = 0; round < count; round++) {
        for (const [step, text] of script.entries()) {
          if (interval > 0) {
            const wait = due - now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          }
          const sentAt = now();
          const { ms, body } = await say(text);
          latencies.push(interval > 0 ? ms + Math.max(0, sentAt - due) : ms);
          due += interval;
          completed += 1;
          if (step === script.length - 1 && body !== null && body.status !== 'completed') {
            errors.push(
              `conversation ${i} round ${round} ended ${body.status}: ${JSON.stringify(body).slice(0, 200)}`,
            );
          }
          last = body;
        }
      }
    }),
  );
  const seconds = (now() - startedAt) / 1000;
  agent.destroy();
  return { latencies, seconds, errors, completed, last };
}

if (!isMainThread) {
  parentPort.postMessage(await generateLoad(workerData));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// The server side (main thread): Postgres, the API, the runtime, the baselines.

const { createApi } = await import('@parley/admin-api');
const { createPgDb, migrate } = await import('@parley/db');
const { MemoryBus } = await import('@parley/bus');
const { TEST_SECRET_KEY } = await import('@parley/db/testing');
const { RuntimeService, runtimeConfigFromEnv } = await import('@parley/runtime');
const { default: express } = await import('express');
const { pino } = await import('pino');
const { mean, nowMs, percentile, report } = await import('./lib.mjs');

function loadFrom(options) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
  });
}

/**
 * CPU seconds so far of the Postgres backends serving `database` (their process title names it;
 * other databases on the machine are left out). Linux /proc; 0 elsewhere.
 */
function postgresCpuSeconds(database) {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `)) continue;
        const fields = stat.slice(close + 2).split(' ');
        total += (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return total;
}

/** Runs `work`, measuring this process's CPU, the main thread's event-loop use and Postgres' CPU. */
async function measured(work) {
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const pg = postgresCpuSeconds(name);
  const started = nowMs();
  const result = await work();
  const seconds = (nowMs() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    ...result,
    processCores: (used.user + used.system) / 1e6 / seconds,
    mainLoop: performance.eventLoopUtilization(elu).utilization,
    postgresCores: (postgresCpuSeconds(name) - pg) / seconds,
    wallSeconds: seconds,
  };
}

function summary(result, count) {
  return {
    p50: percentile(result.latencies, 50),
    p99: percentile(result.latencies, 99),
    mean: mean(result.latencies),
    perSec: count / result.seconds,
  };
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Five text questions, each answer templated into the later messages. */
const FLOW = {
  schemaVersion: 1,
  name: 'Bench five questions',
  settings: { sessionTimeoutMinutes: 30 },
  triggers: [{ id: 't1', type: 'any_message', target: 'q1' }],
  nodes: [
    {
      id: 'q1',
      type: 'question',
      config: {
        prompt: 'Hi! What is your name?',
        variable: 'name',
        answer: { type: 'string', minLength: 1 },
      },
    },
    {
      id: 'q2',
      type: 'question',
      config: {
        prompt: 'Thanks {{name}}. Your email?',
        variable: 'email',
        answer: { type: 'string', format: 'email' },
      },
    },
    {
      id: 'q3',
      type: 'question',
      config: {
        prompt: 'Which company are you with, {{name}}?',
        variable: 'company',
        answer: { type: 'string' },
      },
    },
    {
      id: 'q4',
      type: 'question',
      config: { prompt: 'Where is {{company}} based?', variable: 'city', answer: { type: 'string' } },
    },
    {
      id: 'q5',
      type: 'question',
      config: { prompt: '{{name}}, your role at {{company}}?', variable: 'role', answer: { type: 'string' } },
    },
    {
      id: 'end',
      type: 'end',
      config: { text: 'Thanks {{name}} ({{role}} at {{company}}, {{city}}): we will write to {{email}}.' },
    },
  ],
  edges: ['q1', 'q2', 'q3', 'q4', 'q5', 'end']
    .slice(1)
    .map((target, index) => ({ id: `e${index}`, source: `q${index + 1}`, sourceHandle: 'next', target })),
};
const scriptOf = (i) => [
  'hi',
  `Person ${i}`,
  `person${i}@example.com`,
  `Company ${i}`,
  `City ${i}`,
  `Role ${i}`,
];

const loadBefore = os.loadavg()[0];
const admin = createPgDb({ connectionString: POSTGRES_URL, max: 1 });
const name = `parley_bench_api_${randomBytes(6).toString('hex')}`;
await admin.query(`create database ${name}`);
const db = createPgDb({ connectionString: withDatabase(POSTGRES_URL, name), max: POOL });
const bus = new MemoryBus();
// Statements and transactions sent by this process (API and runtime share the pool), for the report.
const sql = { statements: 0, transactions: 0 };
{
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = (text, params) => {
    sql.statements += 1;
    return query(text, params);
  };
  db.transaction = (work) => {
    sql.transactions += 1;
    return transaction((tx) =>
      work({
        ...tx,
        query: (text, params) => {
          sql.statements += 1;
          return tx.query(text, params);
        },
      }),
    );
  };
}
let runtime;
const servers = [];
try {
  await migrate(db);
  const logger = pino({ level: process.env.PARLEY_LOG_LEVEL ?? 'warn' });
  const api = createApi({
    db,
    bus,
    redis: null,
    logger,
    config: {
      port: 0,
      dataDir: '.parley-bench',
      redisPrefix: 'parley-bench:',
      adminEmail: 'bench@parley.test',
      adminPassword: PASSWORD,
      secretKey: TEST_SECRET_KEY,
      jwtSecret: randomBytes(16).toString('hex'),
      corsOrigins: [],
      bodyLimit: '2mb',
      loginPerMinute: 100,
      // The default (1,200 a minute per token) would stop one token at 20 requests/s.
      apiPerMinute: 1_000_000_000,
      // Measures the API itself, not its refusals when saturated.
      loadShedding: { maxInFlight: 0, maxLagMs: 0 },
      simulatorTimeoutMs: 15_000,
    },
  });
  await api.bootstrap();
  runtime = await RuntimeService.start(
    {
      ...runtimeConfigFromEnv({ PARLEY_WHATSAPP: '0', PARLEY_SECRET_KEY: TEST_SECRET_KEY }),
      port: 0,
      host: '127.0.0.1',
    },
    { db, bus, listen: false, logger },
  );
  const listen = (app) =>
    new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
      servers.push(server);
    });
  const origin = await listen(api.app);
  const base = `${origin}/api/v1`;
  const call = async (method, path, token, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = response.status === 204 ? null : await response.json();
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = await call('POST', '/auth/login', null, {
    email: 'bench@parley.test',
    password: PASSWORD,
  });
  const flow = await call('POST', '/flows', token, { name: FLOW.name, definition: FLOW });
  await call('POST', `/flows/${flow.id}/publish`, token);
  const flowJson = await call('GET', `/flows/${flow.id}`, token);

  // Baseline 1: a bare Express endpoint serving the same JSON (HTTP, routing, serialization).
  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/flow', (_request, response) => {
    response.json(flowJson);
  });
  const bareOrigin = await listen(bare);

  const getOptions = {
    kind: 'get',
    token,
    concurrency: CONCURRENCY,
    warmup: Math.min(2_000, GETS / 5),
    count: GETS,
  };
  console.log(
    `GET /flows/{id} and a bare Express endpoint: ${GETS} requests each, ${CONCURRENCY} at a time…`,
  );
  const bareRun = await measured(() => loadFrom({ ...getOptions, url: `${bareOrigin}/flow` }));
  const getRun = await measured(() => loadFrom({ ...getOptions, url: `${base}/flows/${flow.id}` }));

  // Baseline 2: a bare `select 1` round trip on the same pool, as many loops.
  const selectCount = GETS;
  const selectLatencies = [];
  const selectRun = await measured(async () => {
    let issued = 0;
    const started = nowMs();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (issued++ < selectCount) {
          const start = nowMs();
          await db.query('select 1');
          selectLatencies.push(nowMs() - start);
        }
      }),
    );
    return { latencies: selectLatencies, seconds: (nowMs() - started) / 1000, errors: [] };
  });

  // The simulator: CONCURRENCY sessions pinned to version 1, each a conversation at a time.
  const sessions = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const session = await call('POST', '/simulator/sessions', token, {
      flowId: flow.id,
      version: 1,
      contact: { name: `Person ${i}` },
    });
    sessions.push(session.id);
  }
  const scripts = sessions.map((_, i) => scriptOf(i));
  const messages = CONCURRENCY * ROUNDS * scripts[0].length;
  console.log(
    `simulator: ${CONCURRENCY} conversations at once, ${messages} measured messages (${ROUNDS} conversations each)…`,
  );
  // The CONCURRENCY conversations, each sending as soon as answered, or paced at `ratePerSec` in all.
  const conversations = (ratePerSec) =>
    measured(() =>
      loadFrom({
        kind: 'simulator',
        url: `${base}/simulator/sessions`,
        token,
        concurrency: CONCURRENCY,
        count: ROUNDS,
        sessions,
        scripts,
        ...(ratePerSec === undefined ? {} : { ratePerSec }),
      }),
    );
  const sqlBefore = { ...sql };
  const simRun = await conversations();

  const simSql = {
    statements: sql.statements - sqlBefore.statements,
    transactions: sql.transactions - sqlBefore.transactions,
  };
  // The same conversations paced at the target rate: the latency a user sees at that load.
  console.log(`simulator paced: ${CONCURRENCY} conversations, ${TARGET_RATE} messages/s in all…`);
  const pacedRun = await conversations(TARGET_RATE);
  // One conversation alone: the latency of a message without queueing behind 49 others.
  const solo = await call('POST', '/simulator/sessions', token, { flowId: flow.id, version: 1 });
  const soloRun = await measured(() =>
    loadFrom({
      kind: 'simulator',
      url: `${base}/simulator/sessions`,
      token,
      concurrency: 1,
      count: ROUNDS * 4,
      sessions: [solo.id],
      scripts: [scriptOf(999)],
    }),
  );

  const { rows: totals } = await db.query(
    `select (select count(*)::int from responses where is_test) as responses,
            (select count(*)::int from messages where direction = 'in' and status = 'received') as unprocessed`,
  );

  const get = summary(getRun, GETS);
  // CPU is measured over whole runs, warm-up included.
  const getTotal = getOptions.warmup + GETS;
  const simMessages = simRun.completed + CONCURRENCY * scripts[0].length;
  const bareGet = summary(bareRun, GETS);
  const select = summary(selectRun, selectCount);
  const sim = summary(simRun, simRun.completed);
  const soloSim = summary(soloRun, soloRun.completed);
  const paced = summary(pacedRun, pacedRun.completed);
  const errors = [
    ...getRun.errors,
    ...bareRun.errors,
    ...simRun.errors,
    ...pacedRun.errors,
    ...soloRun.errors,
  ];
  for (const error of errors.slice(0, 5)) console.error(`  error: ${error}`);

  report(
    'api',
    {
      concurrency: [CONCURRENCY, 'requests in flight (closed loops)'],
      pool: [POOL, 'Postgres connections (API and runtime share them)'],
      get_flow_p50_ms: [get.p50, 'ms'],
      get_flow_p99_ms: [get.p99, 'ms'],
      get_flow_per_sec: [get.perSec, 'requests/s'],
      get_flow_cpu_ms_per_request: [
        ((getRun.processCores * getRun.wallSeconds) / getTotal) * 1000,
        'ms (this process, load worker included)',
      ],
      get_flow_main_loop_busy: [getRun.mainLoop * 100, '% of the server thread'],
      get_flow_postgres_cpu_ms_per_request: [
        ((getRun.postgresCores * getRun.wallSeconds) / getTotal) * 1000,
        'ms',
      ],
      bare_express_p50_ms: [bareGet.p50, 'ms (same JSON, no auth, no SQL)'],
      bare_express_p99_ms: [bareGet.p99, 'ms'],
      bare_express_per_sec: [bareGet.perSec, 'requests/s'],
      select1_p50_ms: [select.p50, 'ms (same pool, same concurrency)'],
      select1_p99_ms: [select.p99, 'ms'],
      select1_per_sec: [select.perSec, 'queries/s'],
      ratio_get_to_bare_express_throughput: [get.perSec / bareGet.perSec, '×'],
      ratio_get_to_select1_throughput: [get.perSec / select.perSec, '×'],
      ratio_get_to_bare_express_p50: [get.p50 / bareGet.p50, '× (latency)'],
      simulator_conversations: [CONCURRENCY, 'at once'],
      simulator_messages: [simRun.completed, 'measured messages'],
      simulator_p50_ms: [sim.p50, 'ms (POST → bot replies, runtime turn included)'],
      simulator_p99_ms: [sim.p99, 'ms'],
      simulator_per_sec: [sim.perSec, 'answers/s'],
      simulator_main_loop_busy: [simRun.mainLoop * 100, '% of the server thread (API + runtime)'],
      simulator_process_cores: [simRun.processCores * 100, '% of one core (this process)'],
      simulator_postgres_cores: [
        simRun.postgresCores * 100,
        '% of one core (Postgres backends of this database)',
      ],
      simulator_cpu_ms_per_answer: [
        ((simRun.processCores * simRun.wallSeconds) / simMessages) * 1000,
        'ms (this process: API + runtime + load worker)',
      ],
      simulator_postgres_cpu_ms_per_answer: [
        ((simRun.postgresCores * simRun.wallSeconds) / simMessages) * 1000,
        'ms',
      ],
      simulator_sql_statements_per_answer: [
        simSql.statements / simMessages,
        'statements (API + runtime, BEGIN/COMMIT not counted)',
      ],
      simulator_sql_transactions_per_answer: [simSql.transactions / simMessages, 'transactions'],
      simulator_paced_rate: [TARGET_RATE, 'messages/s offered (10× Typebot), same 50 conversations'],
      simulator_paced_per_sec: [paced.perSec, 'answers/s'],
      simulator_paced_p50_ms: [paced.p50, 'ms (from when each message was due)'],
      simulator_paced_p99_ms: [paced.p99, 'ms'],
      simulator_paced_main_loop_busy: [pacedRun.mainLoop * 100, '% of the server thread'],
      simulator_single_p50_ms: [soloSim.p50, 'ms (one conversation alone)'],
      simulator_single_p99_ms: [soloSim.p99, 'ms'],
      simulator_single_per_sec: [soloSim.perSec, 'answers/s'],
      typebot_answers_per_sec: [
        73,
        'answers/s (Typebot’s chat API measured on this machine kind: 50 conversations, p99 ~700 ms)',
      ],
      ratio_simulator_to_typebot: [sim.perSec / 73, '× (target ≥ 10)'],
      target_throughput_met: [sim.perSec >= TARGET_RATE ? 1 : 0, `1 = yes (≥ ${TARGET_RATE} answers/s)`],
      target_p99_met: [
        paced.p99 < 50 && paced.perSec >= TARGET_RATE * 0.97 ? 1 : 0,
        `1 = yes (p99 < 50 ms while answering ${TARGET_RATE}/s)`,
      ],
      completed_test_responses: [totals[0].responses, 'responses (is_test)'],
      inbound_left_unprocessed: [totals[0].unprocessed, 'rows'],
      errors: [errors.length, 'non-200 replies or unfinished conversations'],
      load_average_1m_before: [
        loadBefore,
        `runnable tasks (${os.cpus().length} cores; other work skews figures)`,
      ],
    },
    {
      title: `api — GET /flows/{id} and simulator messages, ${CONCURRENCY} at a time, on Postgres (pool ${POOL}), runtime in process`,
      notes: [
        'The load comes from a worker thread of this process (its own event loop), keep-alive HTTP to 127.0.0.1.',
        'Simulator: each message waits for the runtime’s turn event (MemoryBus) and then reads the replies and the conversation.',
        'Baselines: a bare Express route serving the same JSON; `select 1` on the same pool with as many loops.',
        `Paced: the same 50 conversations offered ${TARGET_RATE} messages/s in all; latency counts from when each was due.`,
      ],
    },
  );
  if (errors.length > 0) process.exitCode = 1;
} finally {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await runtime?.stop().catch((error) => console.error('runtime stop failed', error));
  await bus.close();
  await db.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.close();
}
