import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededFlow, seedConversation, seedFlow, uuidOf } from './support/results-seed.js';
import { startTestApi, type TestApi } from './support/test-api.js';

let t: TestApi;
let flow: SeededFlow;

beforeAll(async () => {
  t = await startTestApi();
  flow = await seedFlow(t.db, t.workspaceId, 'Labelled leads');
  // Version 2 offers plan (Basic, Pro) and tags (News, Offers, Events); version 1 offered status.
  await seedConversation(t.db, t.workspaceId, flow, {
    id: uuidOf(1),
    versionId: flow.v2Id,
    contact: '+15550100101',
    status: 'completed',
    answers: { name: 'Bob', plan: 'pro', tags: ['news', 'events'], rating: 5 },
    startedAt: '2026-03-01T10:00:00Z',
    endedAt: '2026-03-01T10:02:00Z',
  });
  await seedConversation(t.db, t.workspaceId, flow, {
    id: uuidOf(2),
    versionId: flow.v1Id,
    contact: '+15550100102',
    status: 'completed',
    answers: { name: 'Ann', status: 'married' },
    startedAt: '2026-03-01T09:00:00Z',
    endedAt: '2026-03-01T09:05:00Z',
  });
  await seedConversation(t.db, t.workspaceId, flow, {
    id: uuidOf(3),
    versionId: flow.v1Id,
    contact: '+15550100103',
    status: 'completed',
    // “widowed” is no choice of any version: it stays as stored.
    answers: { name: 'Cy', status: 'widowed' },
    startedAt: '2026-03-01T08:00:00Z',
    endedAt: '2026-03-01T08:05:00Z',
  });
});

afterAll(async () => {
  await t?.close();
});

async function download(params: Record<string, string>): Promise<Response> {
  const path = `/flows/${flow.flowId}/responses/export?${new URLSearchParams(params)}`;
  const response = await fetch(`${t.base}${path}`, { headers: { authorization: `Bearer ${t.admin.token}` } });
  expect(response.status).toBe(200);
  return response;
}

/** The answer cells by column name, one object per row, newest first. */
async function csvAnswers(params: Record<string, string>): Promise<Record<string, string>[]> {
  const text = await (await download({ format: 'csv', ...params })).text();
  return parse(text, { bom: true, columns: true }) as Record<string, string>[];
}

describe('exports with choice answers by label', () => {
  it('writes stored values by default, and the labels the contact picked with choiceLabels', async () => {
    const stored = await csvAnswers({});
    expect(stored.map((row) => [row.plan, row.tags, row['answers.status']])).toEqual([
      ['pro', 'news, events', ''],
      ['', '', 'married'],
      ['', '', 'widowed'],
    ]);
    const labelled = await csvAnswers({ choiceLabels: 'true' });
    expect(labelled.map((row) => [row.name, row.plan, row.tags, row.rating, row['answers.status']])).toEqual([
      ['Bob', 'Pro', 'News, Events', '5', ''],
      ['Ann', '', '', '', 'Married'],
      ['Cy', '', '', '', 'widowed'],
    ]);
  });

  it('writes labels into XLSX too, numbers staying numbers', async () => {
    const response = await download({ format: 'xlsx', choiceLabels: 'true' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('Responses');
    if (sheet === undefined) throw new Error('The workbook has no Responses sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const first = (sheet.getRow(2).values as unknown[]).slice(1);
    const cell = (column: string) => first[header.indexOf(column)];
    expect([cell('plan'), cell('tags'), cell('rating')]).toEqual(['Pro', 'News, Events', 5]);
  });

  it('records the choice in the audit log', async () => {
    const audit = await t.admin.call('get', '/audit?entity=flow');
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'responses.export',
        after: expect.objectContaining({ format: 'xlsx', choiceLabels: true }),
      }),
    );
  });
});
