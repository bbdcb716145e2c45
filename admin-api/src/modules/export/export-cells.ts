import { mediaKeyOfUrl } from '@parley/db';
import type { AnswerColumn } from '../responses/answer-columns.js';
import type { ResponseRecord } from '../responses/responses.repository.js';
import { maskPhone } from './mask-phone.js';

/** The columns every export row starts with, before one column per answer variable. */
export const META_COLUMNS = [
  'conversation_id',
  'contact',
  'contact_name',
  'version',
  'status',
  'started_at',
  'completed_at',
] as const;

const META = new Set<string>(META_COLUMNS);

/**
 * The header row: the fixed columns, then each answer variable under its own name (variable names
 * are stable across versions and label edits; titles are not). Variable names cannot contain a
 * dot, so a variable named like a fixed column is written `answers.<name>` and never collides.
 */
export function headerRow(columns: AnswerColumn[]): string[] {
  return [
    ...META_COLUMNS,
    ...columns.map(({ variable }) => (META.has(variable) ? `answers.${variable}` : variable)),
  ];
}

/** A stored media answer: `{ url, mimeType, name?, size }`. */
function isMedia(value: unknown): value is { url: string; mimeType: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { url?: unknown }).url === 'string' &&
    typeof (value as { mimeType?: unknown }).mimeType === 'string'
  );
}

/**
 * The record with each stored file's `parley-media://` url replaced by `link(key)` (a signed
 * download link). Answers from before the media store (`file://` paths) are left as they are.
 */
export function withMediaLinks(record: ResponseRecord, link: (key: string) => string): ResponseRecord {
  let answers: Record<string, unknown> | undefined;
  for (const [variable, value] of Object.entries(record.answers)) {
    const key = isMedia(value) ? mediaKeyOfUrl(value.url) : null;
    if (key === null) continue;
    answers ??= { ...record.answers };
    answers[variable] = { ...(value as object), url: link(key) };
  }
  return answers === undefined ? record : { ...record, answers };
}

/**
 * An answer as text: a file as its link, arrays joined with ", ", other objects (location) as
 * JSON, nothing as "".
 */
export function answerText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (isMedia(value)) return value.url;
  if (Array.isArray(value)) {
    return value
      .map((item) => (item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item)))
      .join(', ');
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Only digits, spaces, dots, parentheses, signs and the mask dot: a number or a phone number
// (+15550100101, -3.5, +1555•••0101). No letters, no `!`, `|` or `(`…`)` after a name: it cannot call a
// function, name a cell or start a DDE link, so it needs no guard and stays as it is.
const PLAIN_NUMBER = /^[+-]?[\d ().•-]*\d[\d ().•-]*$/;
// The full-width ＝ ＋ － ＠ too: Apple Numbers normalises them to = + - @.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * CSV formula-injection guard: a text cell starting with = + - @ a tab or a carriage return (or a
 * full-width ＝ ＋ － ＠) would be read by Excel, LibreOffice or Google Sheets as a formula
 * (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), so it gets a leading apostrophe, which spreadsheets read
 * as "this is text". Number-like cells (phone numbers, negative numbers) are left alone: they cannot
 * form a formula that does anything.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

export interface RowOptions {
  maskPhone: boolean;
}

/** One CSV record: every cell as (guarded) text. */
export function csvRecord(record: ResponseRecord, columns: AnswerColumn[], options: RowOptions): string[] {
  const cells: string[] = [
    record.conversationId,
    guardFormula(options.maskPhone ? maskPhone(record.contact) : record.contact),
    guardFormula(record.contactName ?? ''),
    String(record.version),
    record.status,
    record.startedAt,
    record.completedAt ?? '',
  ];
  for (const { variable } of columns) cells.push(guardFormula(answerText(record.answers[variable])));
  return cells;
}

/**
 * One XLSX row: numbers and booleans stay typed, empty answers (and empty lists) are empty cells, the
 * rest is text.
 * Text cells in XLSX are never formulas (a formula is a different cell type), so no guard is needed.
 */
export function xlsxRow(record: ResponseRecord, columns: AnswerColumn[], options: RowOptions): unknown[] {
  const cells: unknown[] = [
    record.conversationId,
    options.maskPhone ? maskPhone(record.contact) : record.contact,
    record.contactName,
    record.version,
    record.status,
    record.startedAt,
    record.completedAt,
  ];
  for (const { variable } of columns) {
    const value = record.answers[variable];
    if (typeof value === 'number' || typeof value === 'boolean') cells.push(value);
    else {
      const text = answerText(value);
      cells.push(text === '' ? null : text);
    }
  }
  return cells;
}

/** One NDJSON line: the same object the list endpoint returns, with every answer as stored. */
export function ndjsonLine(record: ResponseRecord, options: RowOptions): string {
  return `${JSON.stringify({
    conversationId: record.conversationId,
    contact: options.maskPhone ? maskPhone(record.contact) : record.contact,
    contactName: record.contactName,
    version: record.version,
    status: record.status,
    answers: record.answers,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
  })}\n`;
}
