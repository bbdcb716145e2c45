import type { Db, Queryable } from '@parley/db';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SeededFlow, seedConversation, seedFlow, uuidOf } from './support/results-seed.js';
import { startTestApi, type TestApi } from './support/test-api.js';

/** Completed, non-test responses seeded for the full exports. */
const N = 100_000;

let t: TestApi;
let flow: SeededFlow;

const HEADER = [
  'conversation_id',
  'contact',
  'contact_name',
  'version',
  'status',
  'started_at',
  'completed_at',
  'name',
  'plan',
  'tags',
  'rating',
  'location',
  'email',
  // A question variable called `status` would collide with the fixed column.
  'answers.status',
];

// Row i (1..N): contact name i % 6, answers of version 2 (even i) from V2[(i/2) % 4], of version 1 (odd
// i) from V1[(i/2) % 3]. Each variant lists its answers and, by hand, its expected CSV answer cells
// (name, plan, tags, rating, location, email, status) and XLSX answer cells.
const NAMES: (string | null)[] = [
  'Ann',
  'Zoë "Z" Ñandú',
  null,
  '=HYPERLINK("http://evil.example")',
  'Li, Wei',
  '＝SUM(A1)',
];
const NAME_CELLS = [
  'Ann',
  'Zoë "Z" Ñandú',
  '',
  `'=HYPERLINK("http://evil.example")`,
  'Li, Wei',
  `'＝SUM(A1)`,
];

// The same names masked (first letter kept), as data and as guarded CSV cells.
const MASKED_NAMES: (string | null)[] = ['A•••', 'Z•••', null, '=•••', 'L•••', '＝•••'];
const MASKED_NAME_CELLS = ['A•••', 'Z•••', '', `'=•••`, 'L•••', `'＝•••`];
// Email answers masked (first letter and top-level domain kept), as data and as guarded CSV cells.
const MASKED_EMAILS: Record<string, [string, string]> = {
  'ann@example.com': ['a•••@•••.com', 'a•••@•••.com'],
  '@mention@example.com': ['@•••@•••.com', `'@•••@•••.com`],
  '-42': ['-•••', `'-•••`],
};

interface Variant {
  answers: Record<string, unknown>;
  csv: string[];
  xlsx: unknown[];
}

const V2: Variant[] = [
  {
    answers: {
      name: 'Bob',
      plan: 'pro',
      tags: ['news', 'events'],
      rating: 5,
      location: { lat: 1.5, lng: -2.25 },
    },
    csv: ['Bob', 'pro', 'news, events', '5', '{"lat":1.5,"lng":-2.25}', '', ''],
    xlsx: ['Bob', 'pro', 'news, events', 5, '{"lat":1.5,"lng":-2.25}', null, null],
  },
  {
    answers: { name: '+cmd|calc', plan: 'basic', tags: [], rating: 1 },
    csv: [`'+cmd|calc`, 'basic', '', '1', '', '', ''],
    xlsx: ['+cmd|calc', 'basic', null, 1, null, null, null],
  },
  {
    answers: { name: 'Multi\nline, "quoted"', tags: ['offers'] },
    csv: ['Multi\nline, "quoted"', '', 'offers', '', '', '', ''],
    xlsx: ['Multi\nline, "quoted"', null, 'offers', null, null, null, null],
  },
  {
    answers: { name: '😀 émoji', plan: 'pro', rating: 3, location: { lat: 0, lng: 0, name: 'Café' } },
    csv: ['😀 émoji', 'pro', '', '3', '{"lat":0,"lng":0,"name":"Café"}', '', ''],
    xlsx: ['😀 émoji', 'pro', null, 3, '{"lat":0,"lng":0,"name":"Café"}', null, null],
  },
];

const V1: Variant[] = [
  {
    answers: { name: 'Ann', email: 'ann@example.com', status: 'single' },
    csv: ['Ann', '', '', '', '', 'ann@example.com', 'single'],
    xlsx: ['Ann', null, null, null, null, 'ann@example.com', 'single'],
  },
  {
    answers: { name: '-1+1', email: '@mention@example.com', status: 'married' },
    csv: [`'-1+1`, '', '', '', '', `'@mention@example.com`, 'married'],
    xlsx: ['-1+1', null, null, null, null, '@mention@example.com', 'married'],
  },
  {
    answers: { name: '\tTabbed', email: '-42', status: 'single' },
    // A number-like text stays as it is; a tab-led one is guarded.
    csv: [`'\tTabbed`, '', '', '', '', '-42', 'single'],
    xlsx: ['\tTabbed', null, null, null, null, '-42', 'single'],
  },
];

const BASE_MS = Date.UTC(2026, 0, 1);
const variantOf = (i: number) =>
  i % 2 === 0 ? (V2[(i >> 1) % V2.length] as Variant) : (V1[(i >> 1) % V1.length] as Variant);
const contactOf = (i: number) => `+1555${String(i).padStart(7, '0')}`;
const maskedOf = (i: number) => `+1555•••${String(i).padStart(7, '0').slice(-4)}`;
// completed_at: pairs (2k, 2k+1) complete in the same microsecond, so the id decides their order.
const completedMs = (i: number) => BASE_MS + (i >> 1) * 1000 + 123;
const startedMs = (i: number) => completedMs(i) - (30 + (i % 60)) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A masked export hides the contact, the name and the email answer (the 6th answer column). */
function expectedCsvRow(i: number, masked = false): string[] {
  const answers = [...variantOf(i).csv];
  const email = variantOf(i).answers.email;
  if (masked && typeof email === 'string') answers[5] = (MASKED_EMAILS[email] as [string, string])[1];
  return [
    uuidOf(i),
    masked ? maskedOf(i) : contactOf(i),
    (masked ? MASKED_NAME_CELLS : NAME_CELLS)[i % NAMES.length] as string,
    i % 2 === 0 ? '2' : '1',
    'completed',
    iso(startedMs(i)),
    iso(completedMs(i)),
    ...answers,
  ];
}

function maskedAnswers(i: number): Record<string, unknown> {
  const { answers } = variantOf(i);
  return typeof answers.email === 'string'
    ? { ...answers, email: (MASKED_EMAILS[answers.email] as [string, string])[0] }
    : answers;
}

/** Newest first: i = N … 1. */
const order = Array.from({ length: N }, (_, k) => N - k);

async function seedMany(db: Db, workspaceId: string, seeded: SeededFlow): Promise<void> {
  await db.query(
    `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
       status, current_node, answers, variables, is_test, started_at, ended_at)
     select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, $1, $2, '+1555' || lpad(i::text, 7, '0'),
       $6::jsonb ->> (i % $10), $3, case when i % 2 = 0 then $4::uuid else $5::uuid end, 'e' || i, 'completed', 'end',
       a.answers, a.answers, false, t.completed_at - (30 + i % 60) * interval '1 second', t.completed_at
     from generate_series(1, $9::integer) i
     cross join lateral (select case when i % 2 = 0 then $7::jsonb -> ((i / 2) % 4) else $8::jsonb -> ((i / 2) % 3) end as answers) a
     cross join lateral (select timestamptz '2026-01-01T00:00:00Z' + (i / 2) * interval '1 second'
       + interval '123456 microseconds' as completed_at) t`,
    [
      workspaceId,
      seeded.numberId,
      seeded.flowId,
      seeded.v2Id,
      seeded.v1Id,
      JSON.stringify(NAMES),
      JSON.stringify(V2.map((variant) => variant.answers)),
      JSON.stringify(V1.map((variant) => variant.answers)),
      N,
      NAMES.length,
    ],
  );
  await db.query(
    `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at)
     select workspace_id, id, flow_id, flow_version_id, answers, is_test, ended_at from conversations
     where flow_id = $1 and status = 'completed'`,
    [seeded.flowId],
  );
  await db.query('analyze conversations; analyze responses');
}

/** Rows that default filters leave out: partial and test ones. */
async function seedExtras(db: Db, workspaceId: string, seeded: SeededFlow): Promise<void> {
  const base = { contact: '+15559990000', startedAt: '2027-01-01T00:00:00Z' };
  await seedConversation(db, workspaceId, seeded, {
    ...base,
    id: uuidOf(N + 1),
    versionId: seeded.v2Id,
    status: 'expired',
    answers: { name: 'Partial' },
  });
  await seedConversation(db, workspaceId, seeded, {
    ...base,
    id: uuidOf(N + 2),
    versionId: seeded.v2Id,
    status: 'active',
    answers: { plan: 'pro' },
  });
  await seedConversation(db, workspaceId, seeded, {
    ...base,
    id: uuidOf(N + 3),
    versionId: seeded.draftId,
    status: 'completed',
    isTest: true,
    answers: { name: 'Test' },
    endedAt: '2027-01-01T00:01:00Z',
  });
}

beforeAll(async () => {
  t = await startTestApi();
  flow = await seedFlow(t.db, t.workspaceId, 'Lead intake: Q1 (Spain)');
  await seedMany(t.db, t.workspaceId, flow);
  await seedExtras(t.db, t.workspaceId, flow);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function download(path: string, token = t.admin.token): Promise<Response> {
  return fetch(`${t.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

const exportPath = (params: Record<string, string>) =>
  `/flows/${flow.flowId}/responses/export?${new URLSearchParams(params)}`;

describe('GET /flows/{id}/responses/export', () => {
  it(`CSV of ${N.toLocaleString('en')} responses: BOM, header, every row and cell as seeded`, async () => {
    const response = await download(exportPath({ format: 'csv' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Lead-intake-Q1-Spain-responses-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.slice(1, text.indexOf('\r\n'))).toBe(HEADER.join(','));
    const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(HEADER);
    expect(records.length).toBe(N + 1);
    for (let k = 0; k < N; k++) {
      const i = order[k] as number;
      const record = records[k + 1];
      if (JSON.stringify(record) !== JSON.stringify(expectedCsvRow(i)))
        expect(record, `row ${k + 1} (i = ${i})`).toEqual(expectedCsvRow(i));
    }
  });

  it(`NDJSON of ${N.toLocaleString('en')} responses, masked: one object per line, personal data hidden`, async () => {
    const response = await download(exportPath({ format: 'ndjson', maskPhone: 'true' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.length).toBe(N);
    for (let k = 0; k < N; k++) {
      const i = order[k] as number;
      const expected = {
        conversationId: uuidOf(i),
        contact: maskedOf(i),
        contactName: MASKED_NAMES[i % NAMES.length],
        version: i % 2 === 0 ? 2 : 1,
        status: 'completed',
        answers: maskedAnswers(i),
        startedAt: iso(startedMs(i)),
        completedAt: iso(completedMs(i)),
      };
      const line = JSON.parse(lines[k] as string);
      if (JSON.stringify(line) !== JSON.stringify(expected)) expect(line, `line ${k + 1}`).toEqual(expected);
    }
  });

  it(`XLSX of ${N.toLocaleString('en')} responses read back with exceljs`, async () => {
    const response = await download(exportPath({ format: 'xlsx' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toMatch(/\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Responses');
    expect(sheet).toBeDefined();
    const rows: unknown[][] = [];
    sheet?.eachRow({ includeEmpty: true }, (row) => {
      const cells: unknown[] = [];
      for (let column = 1; column <= HEADER.length; column++) cells.push(row.getCell(column).value ?? null);
      rows.push(cells);
    });
    expect(rows[0]).toEqual(HEADER);
    expect(rows.length).toBe(N + 1);
    for (let k = 0; k < N; k++) {
      const i = order[k] as number;
      const expected = [
        uuidOf(i),
        contactOf(i),
        NAMES[i % NAMES.length],
        i % 2 === 0 ? 2 : 1,
        'completed',
        iso(startedMs(i)),
        iso(completedMs(i)),
        ...variantOf(i).xlsx,
      ];
      if (JSON.stringify(rows[k + 1]) !== JSON.stringify(expected))
        expect(rows[k + 1], `row ${k + 2}`).toEqual(expected);
    }
  }, 60_000);

  it('masks contacts in CSV too, and applies the list filters', async () => {
    const masked = await download(
      exportPath({ format: 'csv', maskPhone: 'true', status: 'all', includeTest: 'true', version: '2' }),
    );
    const records = parse(await masked.text(), { bom: true }) as string[][];
    // Version 2's N/2 responses, the two partial ones; the test response ran on the draft (version 0).
    expect(records.length).toBe(1 + N / 2 + 2);
    expect(records[1]).toEqual([
      uuidOf(N + 2),
      '+1555•••0000',
      '',
      '2',
      'active',
      '2027-01-01T00:00:00.000Z',
      '',
      '',
      'pro',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(records[2]?.slice(0, 8)).toEqual([
      uuidOf(N + 1),
      '+1555•••0000',
      '',
      '2',
      'expired',
      '2027-01-01T00:00:00.000Z',
      '',
      'Partial',
    ]);
    expect(records[3]).toEqual(expectedCsvRow(N, true));

    const tests = await download(exportPath({ format: 'ndjson', includeTest: 'true', version: '0' }));
    const lines = (await tests.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ conversationId: uuidOf(N + 3), version: 0, answers: { name: 'Test' } }),
    ]);

    const window = await download(
      exportPath({ format: 'ndjson', from: iso(completedMs(10)), to: iso(completedMs(14)) }),
    );
    // completed_at (…:05.123456 for i = 10) in [:05.123, :07.123): i = 13, 12, 11, 10; 14 completed at :07.123456.
    const inWindow = (await window.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).conversationId);
    expect(inWindow).toEqual([uuidOf(13), uuidOf(12), uuidOf(11), uuidOf(10)]);

    const empty = await download(exportPath({ format: 'csv', version: '9' }));
    expect(Buffer.from(await empty.arrayBuffer()).toString('utf8')).toBe(`\uFEFF${HEADER.join(',')}\r\n`);
  });

  it('stops reading when the client disconnects (and waits for a slow one)', async () => {
    const original = t.api.context.db;
    // Counts the export cursor's FETCHes (each reads one chunk of 2,000 rows).
    let chunkQueries = 0;
    const counting =
      (query: Queryable['query']): Queryable['query'] =>
      (sql, params) => {
        if (sql.startsWith('fetch ')) chunkQueries += 1;
        return query(sql, params);
      };
    t.api.context.db = {
      ...original,
      query: counting(original.query),
      transaction: (work) => original.transaction((tx) => work({ query: counting(tx.query) })),
    } as Db;
    try {
      const controller = new AbortController();
      const response = await fetch(`${t.base}${exportPath({ format: 'ndjson' })}`, {
        headers: { authorization: `Bearer ${t.admin.token}` },
        signal: controller.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      // A client that stops reading: the server waits for 'drain' instead of reading on.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const whilePaused = chunkQueries;
      expect(whilePaused).toBeGreaterThan(0);
      expect(whilePaused).toBeLessThan(N / 2_000);
      controller.abort();
      // Nothing happening has no event to await: these pauses give stray reads the time to show.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const afterAbort = chunkQueries;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(chunkQueries).toBe(afterAbort);
      expect(afterAbort).toBeLessThanOrEqual(whilePaused + 1);
      // The cursor's transaction is over: no connection is left inside it.
      const { rows } = await original.query<{ open: number }>(
        `select count(*)::integer as open from pg_stat_activity
         where datname = current_database() and state like 'idle in transaction%'`,
      );
      expect(rows[0]?.open).toBe(0);
    } finally {
      t.api.context.db = original;
    }
    // The API still answers.
    expect((await t.admin.call('get', `/flows/${flow.flowId}/responses?limit=1`)).status).toBe(200);
  });

  it('runs at most 3 exports at once: the next one is told to come back later', async () => {
    const controllers = [0, 1, 2].map(() => new AbortController());
    try {
      for (const controller of controllers) {
        const running = await fetch(`${t.base}${exportPath({ format: 'ndjson' })}`, {
          headers: { authorization: `Bearer ${t.admin.token}` },
          signal: controller.signal,
        });
        expect(running.status).toBe(200);
      }
      const refused = await download(exportPath({ format: 'csv' }));
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    } finally {
      for (const controller of controllers) controller.abort();
    }
    // Once the server has seen them go, exports run again.
    await vi.waitFor(
      async () => {
        const again = await download(exportPath({ format: 'csv', version: '9' }));
        await again.arrayBuffer();
        expect(again.status).toBe(200);
      },
      { timeout: 5_000, interval: 50 },
    );
  });

  it('viewer allowed; another workspace’s flow is not found; bad format refused', async () => {
    const viewer = await t.member('viewer');
    const allowed = await download(exportPath({ format: 'csv', version: '9' }), viewer.token);
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();
    const elsewhere = await t.otherWorkspace();
    const foreign = await fetch(`${t.base}${exportPath({ format: 'csv' })}`, {
      headers: {
        authorization: `Bearer ${elsewhere.token}`,
        'x-workspace-id': elsewhere.workspace as string,
      },
    });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await download(exportPath({ format: 'pdf' }))).status).toBe(400);
    expect((await fetch(`${t.base}${exportPath({ format: 'csv' })}`)).status).toBe(401);
  });

  it('records who exported what in the audit log', async () => {
    const audit = await t.admin.call('get', '/audit?entity=flow');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'responses.export',
        entityId: flow.flowId,
        after: expect.objectContaining({ format: 'csv' }),
      }),
    );
  });
});
