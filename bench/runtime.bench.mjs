// Runtime throughput: one runtime process on real Postgres + Redis, 1,000 simulated conversations,
// each contact answering as soon as its previous message's checkpoint is committed (closed loop),
// printed next to the raw ceiling of the same Postgres and Redis on this machine.
//
// A second, paced run (think time, 1,000 messages/s offered: BENCH_PACED_RATE) shows latency
// when messages do not queue behind 1,000 others.
//
// Env: BENCH_CONTACTS (1000), BENCH_MESSAGES (20000), BENCH_WARMUP (4000), BENCH_RAW_SECONDS (4),
// BENCH_PACED=0 skips the paced run, BENCH_RAW=0 the ceiling; BENCH_TRACE=1 prints the time spent
// per SQL statement, BENCH_KEEP_DB=1 keeps the database; PARLEY_TEST_POSTGRES_URL,
// PARLEY_TEST_REDIS_URL (default: the machine's own, as for the tests).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createTestDatabase, createTestRedis, seedPublishedFlow, TEST_REDIS_URL } from '@parley/db/testing';
import { RuntimeService, runtimeConfigFromEnv } from '@parley/runtime';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { mean, nowMs, percentile, report } from './lib.mjs';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4_000);
const RAW_SECONDS = Number(process.env.BENCH_RAW_SECONDS ?? 4);
const PACED = process.env.BENCH_PACED !== '0';
const CONCURRENT_PG_CLIENTS = [8, 16];
const CONCURRENT_REDIS_CLIENTS = 50;

// ---------------------------------------------------------------------------------------------
// The flow: five questions (one with a retry), replies templated with earlier answers.

const flow = {
  schemaVersion: 1,
  name: 'Bench intake',
  settings: { sessionTimeoutMinutes: 30, fallbackText: 'Sorry, something went wrong.' },
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: "What's your name?", variable: 'name', answer: { type: 'string', minLength: 1 } },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 0, y: 140 },
      config: {
        prompt: "Hi {{name}}, what's your email?",
        variable: 'email',
        answer: { type: 'string', format: 'email' },
        retry: { maxAttempts: 3, message: 'That is not an email. Try again?' },
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 0, y: 280 },
      config: {
        prompt: 'How many seats, {{name}}?',
        variable: 'seats',
        answer: { type: 'number', minimum: 1, maximum: 500 },
        retry: { maxAttempts: 3, message: 'A number from 1 to 500, please.' },
      },
    },
    {
      id: 'n4',
      type: 'question',
      position: { x: 0, y: 420 },
      config: {
        prompt: 'Pick a plan for {{seats}} seats',
        variable: 'plan',
        answer: { type: 'string', enum: ['basic', 'pro'] },
        choices: [
          { id: 'c1', label: 'Basic', value: 'basic' },
          { id: 'c2', label: 'Pro', value: 'pro' },
        ],
      },
    },
    {
      id: 'n5',
      type: 'end',
      position: { x: 0, y: 560 },
      config: { text: 'Thanks {{name}}: {{seats}} seats on {{plan}}, receipt to {{email}}.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
    { id: 'e4', source: 'n4', sourceHandle: 'next', target: 'n5' },
  ],
};

/** Contact i's answers, cycled: every conversation ends, and the next message starts a new one. */
function scriptOf(i) {
  return [
    'hi',
    `Name ${i}`,
    ...(i % 3 === 0 ? ['not-an-email'] : []),
    `user${i}@example.com`,
    String((i % 40) + 1),
    i % 2 === 0 ? 'Pro' : '1',
  ];
}

// ---------------------------------------------------------------------------------------------
// CPU: this process, Postgres, Redis and everything else on the machine, from /proc (Linux).

const TICKS_PER_SEC = 100; // USER_HZ

/** CPU seconds used so far by this process, by Postgres' processes, by redis-server, and the machine. */
function cpuSnapshot() {
  const processes = new Map();
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC; // utime + stime
      if (comm === 'postgres') processes.set(pid, { kind: 'postgres', seconds });
      else if (comm.startsWith('redis-server')) processes.set(pid, { kind: 'redis', seconds });
    }
  } catch {
    // no /proc: only this process and the machine are reported
  }
  const machine = os.cpus().reduce((sum, cpu) => {
    const { user, nice, sys, irq } = cpu.times;
    return sum + (user + nice + sys + irq) / 1000;
  }, 0);
  const usage = process.cpuUsage();
  return { processes, self: (usage.user + usage.system) / 1e6, machine, at: nowMs() };
}

/**
 * Cores in use between two snapshots: this process, Postgres (a backend that exited in between is
 * missed), Redis, and the whole machine.
 */
function cpuBetween(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const used = { postgres: 0, redis: 0 };
  for (const [pid, { kind, seconds: total }] of after.processes)
    used[kind] += total - (before.processes.get(pid)?.seconds ?? 0);
  const cores = {
    runtime: (after.self - before.self) / seconds,
    postgres: used.postgres / seconds,
    redis: used.redis / seconds,
    machine: (after.machine - before.machine) / seconds,
  };
  return { ...cores, other: Math.max(0, cores.machine - cores.runtime - cores.postgres - cores.redis) };
}

// ---------------------------------------------------------------------------------------------
// The raw ceiling.

/** Runs `clients` loops of `work` for `seconds`; returns operations per second. */
async function loops(clients, seconds, work) {
  const deadline = nowMs() + seconds * 1000;
  let done = 0;
  const started = nowMs();
  await Promise.all(
    clients.map(async (client, index) => {
      for (let i = 0; nowMs() < deadline; i++) {
        await work(client, index, i);
        done += 1;
      }
    }),
  );
  return done / ((nowMs() - started) / 1000);
}

async function rawPostgres(url, workspaceId, numberId) {
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  // The same columns, defaults, identity and indexes as `messages` (foreign keys aside).
  await setup.query('create table raw_insert (like messages including all)');
  const insert = (client, index, i) =>
    client.query(
      `insert into raw_insert (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
       values ($1, $2, $3, 'in', $4, 'text', $5, 'received')`,
      [
        workspaceId,
        numberId,
        `+1555${String(index).padStart(7, '0')}`,
        `raw-${index}-${i}-${randomBytes(4).toString('hex')}`,
        JSON.stringify({ text: `user${i}@example.com`, sentAt: Date.now() }),
      ],
    );
  const connect = async (count) => {
    const clients = Array.from({ length: count }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((client) => client.connect()));
    return clients;
  };
  const result = {};
  for (const count of [1, ...CONCURRENT_PG_CLIENTS]) {
    const clients = await connect(count);
    await loops(clients, 0.5, insert); // warm-up
    const before = cpuSnapshot();
    result[count] = await loops(clients, RAW_SECONDS, insert);
    result[`${count}_cpu`] = cpuBetween(before, cpuSnapshot());
    await Promise.all(clients.map((client) => client.end()));
  }
  await setup.query('drop table raw_insert');
  await setup.end();
  return result;
}

async function rawRedis(prefix) {
  const connect = async (count) => {
    const clients = Array.from(
      { length: count },
      () => new Redis(TEST_REDIS_URL, { lazyConnect: true, enableAutoPipelining: false }),
    );
    await Promise.all(clients.map((client) => client.connect()));
    return clients;
  };
  const key = `${prefix}raw`;
  const get = (client) => client.get(key);
  const one = await connect(1);
  await one[0].set(key, 'x'.repeat(600));
  await loops(one, 0.5, get);
  const sequential = await loops(one, RAW_SECONDS, get);
  const many = await connect(CONCURRENT_REDIS_CLIENTS);
  await loops(many, 0.5, get);
  const concurrent = await loops(many, RAW_SECONDS, get);
  for (const client of [...one, ...many]) client.disconnect();
  return { sequential, concurrent };
}

// ---------------------------------------------------------------------------------------------
// The runtime under load.

async function histogramSnapshot(histogram) {
  const { values } = await histogram.get();
  const buckets = new Map();
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value.metricName.endsWith('_bucket')) buckets.set(value.labels.le, value.value);
    else if (value.metricName.endsWith('_sum')) sum = value.value;
    else if (value.metricName.endsWith('_count')) count = value.value;
  }
  return { buckets, sum, count };
}

async function repliesSent(service) {
  const { values } = await service.metrics.outbound.get();
  return values.find((value) => value.labels.status === 'sent')?.value ?? 0;
}

function histogramDelta(before, after) {
  const buckets = new Map();
  for (const [le, value] of after.buckets) buckets.set(le, value - (before.buckets.get(le) ?? 0));
  return { buckets, sum: after.sum - before.sum, count: after.count - before.count };
}

/**
 * Drives the service: every contact sends its next message as soon as the previous one is
 * committed (after `thinkMs()` when given). Measures `messages` completions after `warmup`.
 */
async function drive(service, hooks, numberId, { contacts, warmup, messages, thinkMs, tag }) {
  const scripts = Array.from({ length: contacts }, (_, i) => scriptOf(i));
  const phone = (i) => `+1555${tag}${String(i).padStart(6, '0')}`;
  const byPhone = new Map(Array.from({ length: contacts }, (_, i) => [phone(i), i]));
  const sent = new Int32Array(contacts);
  const inFlightSince = new Float64Array(contacts);
  const latencies = [];
  const total = warmup + messages;
  let issued = 0;
  let completed = 0;
  let span = null;
  let failures = 0;
  let resolveDone;
  const done = new Promise((resolve) => {
    resolveDone = resolve;
  });

  const send = (i) => {
    if (issued >= total) return;
    issued += 1;
    const n = sent[i];
    sent[i] = n + 1;
    const script = scripts[i];
    inFlightSince[i] = nowMs();
    service.host
      .receive({
        numberId,
        contact: phone(i),
        id: `${tag}-${i}-${n}`,
        text: script[n % script.length],
        sentAt: Date.now(),
      })
      .then((result) => {
        if (result !== 'accepted') failures += 1;
      })
      .catch(() => {
        failures += 1;
      });
  };

  let snapshots = null;
  hooks.onCommitted = (committed) => {
    if (committed.inboundIds.length === 0) return;
    const i = byPhone.get(committed.key.contact);
    if (i === undefined) return;
    const at = nowMs();
    completed += committed.inboundIds.length;
    if (span !== null && span.endAt === undefined) latencies.push(at - inFlightSince[i]);
    if (completed === warmup) {
      span = { startAt: at, cpu: cpuSnapshot() };
      snapshots = Promise.all([
        histogramSnapshot(service.metrics.checkpointBatch),
        histogramSnapshot(service.metrics.stepLatency),
        repliesSent(service),
      ]);
    }
    if (completed === total) {
      span.endAt = at;
      span.end = cpuSnapshot();
      span.sentAtEnd = repliesSent(service);
      resolveDone();
    }
    const next = () => send(i);
    if (thinkMs === undefined) next();
    else setTimeout(next, thinkMs());
  };

  for (let i = 0; i < contacts; i++) {
    if (thinkMs === undefined) send(i);
    else setTimeout(() => send(i), Math.random() * thinkMs());
  }
  await done;
  hooks.onCommitted = () => undefined;
  const [batchBefore, stepBefore, sentBefore] = await snapshots;
  const batch = histogramDelta(batchBefore, await histogramSnapshot(service.metrics.checkpointBatch));
  const step = histogramDelta(stepBefore, await histogramSnapshot(service.metrics.stepLatency));
  const seconds = (span.endAt - span.startAt) / 1000;
  return {
    seconds,
    messagesPerSec: latencies.length / seconds,
    repliesSentPerSec: ((await span.sentAtEnd) - sentBefore) / seconds,
    latencies,
    batch,
    step,
    cpu: cpuBetween(span.cpu, span.end),
    failures,
  };
}

function batchRows(batch, prefix) {
  const rows = {};
  let previous = 0;
  let previousLe = 0;
  for (const [le, cumulative] of batch.buckets) {
    const inBucket = cumulative - previous;
    const label =
      le === '+Inf' ? `gt_${previousLe}` : previousLe + 1 === Number(le) ? le : `${previousLe + 1}_${le}`;
    rows[`${prefix}${label}`] = [(inBucket / (batch.count || 1)) * 100, '% of commits'];
    previous = cumulative;
    previousLe = le === '+Inf' ? previousLe : Number(le);
  }
  return rows;
}

/** BENCH_TRACE=1: time every statement the runtime sends (diagnostics, not part of the report). */
function traceStatements(db) {
  const stats = new Map();
  const timedQuery = (query) => async (sql, params) => {
    const name = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
    if (process.env.BENCH_TRACE_SAVE && name.startsWith('with written') && params?.[0]?.length > 50_000)
      writeFileSync(process.env.BENCH_TRACE_SAVE, JSON.stringify({ sql, params }));
    const start = nowMs();
    try {
      return await query(sql, params);
    } finally {
      const entry = stats.get(name) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += nowMs() - start;
      stats.set(name, entry);
    }
  };
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = timedQuery(query);
  db.transaction = (work) => transaction((tx) => work({ ...tx, query: timedQuery(tx.query.bind(tx)) }));
  return {
    print(messages) {
      console.log('\nstatements (calls, total ms, mean ms, per message):');
      for (const [name, entry] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms))
        console.log(
          `  ${String(entry.calls).padStart(7)} ${entry.ms.toFixed(0).padStart(8)} ${(entry.ms / entry.calls).toFixed(2).padStart(7)} ${(entry.calls / messages).toFixed(3)}  ${name}`,
        );
    },
  };
}

function cpuRows(run, prefix) {
  const rows = {};
  for (const part of ['runtime', 'postgres', 'redis', 'other', 'machine']) {
    const unit = part === 'machine' ? `% of one core (${os.cpus().length} cores)` : '% of one core';
    rows[`${prefix}${part}`] = [run.cpu[part] * 100, unit];
  }
  for (const part of ['runtime', 'postgres', 'redis'])
    rows[`${prefix}${part}_per_message_us`] = [(run.cpu[part] / run.messagesPerSec) * 1e6, 'µs'];
  return rows;
}

// ---------------------------------------------------------------------------------------------

const loadBefore = os.loadavg()[0];
const database = await createTestDatabase();
const redis = await createTestRedis();
let service;
try {
  const { workspaceId, numberId } = await seedPublishedFlow(database.db, flow);

  console.log(`raw ceiling: single-row INSERT transactions and Redis round trips, ${RAW_SECONDS} s each…`);
  // BENCH_RAW=0 skips the ceiling (profiling runs); the ratio is then not computed.
  const skipRaw = process.env.BENCH_RAW === '0';
  const rawPg = skipRaw
    ? Object.fromEntries(
        [1, ...CONCURRENT_PG_CLIENTS].flatMap((n) => [
          [n, Number.NaN],
          [`${n}_cpu`, {}],
        ]),
      )
    : await rawPostgres(database.url, workspaceId, numberId);
  const rawRedisResult = skipRaw
    ? { sequential: Number.NaN, concurrent: Number.NaN }
    : await rawRedis(redis.prefix);

  const hooks = { onCommitted: () => undefined };
  service = await RuntimeService.start(
    {
      ...runtimeConfigFromEnv({ PARLEY_WHATSAPP: '0' }),
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
    },
    {
      listen: false,
      logger: pino({ level: process.env.PARLEY_LOG_LEVEL ?? 'warn' }),
      onCommitted: (committed) => hooks.onCommitted(committed),
    },
  );

  const trace = process.env.BENCH_TRACE === '1' ? traceStatements(service.infra.db) : null;
  console.log(`runtime: ${CONTACTS} conversations, ${WARMUP} warm-up + ${MESSAGES} measured messages…`);
  const run = await drive(service, hooks, numberId, {
    contacts: CONTACTS,
    warmup: WARMUP,
    messages: MESSAGES,
    tag: 'a',
  });

  // Paced: the same number of conversations with think time, offering the target rate (1,000
  // messages/s by default), so latency shows the cost of a message rather than the queue of
  // 1,000 messages always in flight in the closed loop.
  let paced = null;
  if (PACED) {
    const targetRate = Number(process.env.BENCH_PACED_RATE ?? 1000);
    const meanThinkMs = (CONTACTS / targetRate) * 1000;
    console.log(`paced: ~${targetRate} messages/s offered (${Math.round(meanThinkMs)} ms mean think time)…`);
    paced = await drive(service, hooks, numberId, {
      contacts: CONTACTS,
      warmup: Math.min(WARMUP, 2_000),
      messages: Math.min(MESSAGES, 10_000),
      thinkMs: () => meanThinkMs * (0.5 + Math.random()),
      tag: 'b',
    });
    paced.offered = targetRate;
  }

  await service.processor.idle();
  if (trace !== null) trace.print(run.latencies.length + (paced?.latencies.length ?? 0));
  const { rows: left } = await database.db.query(
    `select count(*)::int as count from messages where direction = 'in' and status = 'received'`,
  );
  const { rows: totals } = await database.db.query(
    `select direction, status, count(*)::int as count from messages group by 1, 2 order by 1, 2`,
  );

  const bestPg = Math.max(...CONCURRENT_PG_CLIENTS.map((count) => rawPg[count]));
  const bestPgClients =
    CONCURRENT_PG_CLIENTS.find((count) => rawPg[count] === bestPg) ?? CONCURRENT_PG_CLIENTS[0];
  const metrics = {
    contacts: [CONTACTS, 'conversations'],
    measured_messages: [run.latencies.length, 'messages'],
    messages_per_sec: [run.messagesPerSec, 'messages/s'],
    replies_sent_per_sec: [run.repliesSentPerSec, 'messages/s (outbox → simulator channel)'],
    latency_p50_ms: [percentile(run.latencies, 50), 'ms (receive → checkpoint committed)'],
    latency_p99_ms: [percentile(run.latencies, 99), 'ms'],
    latency_mean_ms: [mean(run.latencies), 'ms'],
    step_histogram_count: [run.step.count, 'observations (parley_step_latency_seconds)'],
    step_histogram_mean_ms: [(run.step.sum / (run.step.count || 1)) * 1000, 'ms'],
    checkpoint_commits: [run.batch.count, 'transactions'],
    checkpoint_batch_mean: [run.batch.sum / (run.batch.count || 1), 'contacts/commit'],
    ...batchRows(run.batch, 'checkpoint_batch_'),
    ...cpuRows(run, 'cpu_'),
    ...(paced === null
      ? {}
      : {
          paced_offered: [paced.offered, 'messages/s'],
          paced_messages_per_sec: [paced.messagesPerSec, 'messages/s'],
          paced_latency_p50_ms: [percentile(paced.latencies, 50), 'ms'],
          paced_latency_p99_ms: [percentile(paced.latencies, 99), 'ms'],
          paced_checkpoint_batch_mean: [paced.batch.sum / (paced.batch.count || 1), 'contacts/commit'],
          ...cpuRows(paced, 'paced_cpu_'),
        }),
    raw_pg_insert_tx_per_sec_1_client: [rawPg[1], 'tx/s'],
    ...Object.fromEntries(
      CONCURRENT_PG_CLIENTS.map((count) => [
        `raw_pg_insert_tx_per_sec_${count}_clients`,
        [rawPg[count], 'tx/s'],
      ]),
    ),
    raw_pg_cpu_postgres_best: [(rawPg[`${bestPgClients}_cpu`].postgres ?? Number.NaN) * 100, '% of one core'],
    raw_pg_cpu_machine_best: [(rawPg[`${bestPgClients}_cpu`].machine ?? Number.NaN) * 100, '% of one core'],
    raw_redis_rtt_per_sec_1_client: [rawRedisResult.sequential, 'round trips/s'],
    [`raw_redis_rtt_per_sec_${CONCURRENT_REDIS_CLIENTS}_clients`]: [
      rawRedisResult.concurrent,
      'round trips/s',
    ],
    ratio_messages_to_raw_insert_tx: [run.messagesPerSec / bestPg, `× (vs ${bestPgClients} clients)`],
    target_messages_per_sec_met: [run.messagesPerSec >= 1000 ? 1 : 0, '1 = yes (≥ 1,000/s)'],
    target_ratio_met: [run.messagesPerSec / bestPg >= 0.5 ? 1 : 0, '1 = yes (≥ 0.5)'],
    failures: [run.failures + (paced?.failures ?? 0), 'receive() errors'],
    inbound_left_unprocessed: [left[0]?.count ?? 0, 'rows'],
    ...Object.fromEntries(
      totals.map((row) => [`rows_${row.direction}_${row.status}`, [row.count, 'messages at the end']]),
    ),
    load_average_1m_before: [loadBefore, 'runnable tasks (other work on the machine skews figures)'],
  };
  report('runtime', metrics, {
    title: `runtime — 1 process, ${CONTACTS} concurrent conversations on Postgres + Redis (closed loop: next answer on commit)`,
    notes: [
      'latency = host.receive() call → checkpoint committed (replies queued), measured per message.',
      'Closed loop: every contact always has one message in flight, so mean latency ≈ contacts ÷ messages/s.',
      `ratio = messages/s ÷ best concurrent single-row INSERT tx/s (${CONCURRENT_PG_CLIENTS.join(' or ')} clients).`,
      'cpu_* in % of one core: cpu_postgres counts every Postgres process (other clients of the server too),',
      'cpu_other what else ran on the machine meanwhile, cpu_machine all of it; high cpu_other skews every figure.',
    ],
  });
} finally {
  await service?.stop().catch((error) => console.error('stop failed', error));
  await redis.cleanup();
  if (process.env.BENCH_KEEP_DB === '1') {
    console.log(`kept ${database.url}`);
    await database.db.close();
  } else await database.drop();
}
