import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '@parley/db';
import type { Script } from './intake-flow.js';
import { internalAuth } from './internal-token.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a number has no inbound left to process and no reply left to send. */
export async function settle(db: Queryable, numberId: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ count: number }>(
      `select count(*)::int as count from messages where number_id = $1
         and ((direction = 'in' and status = 'received') or (direction = 'out' and status in ('queued', 'sending')))`,
      [numberId],
    );
    if (rows[0]?.count === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.count} messages still unprocessed or unsent`);
    await sleep(100);
  }
}

/** Inbound messages of a number already processed (progress of a run). */
export async function processedInbound(db: Queryable, numberId: string): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count(*)::int as count from messages where number_id = $1 and direction = 'in' and status = 'processed'`,
    [numberId],
  );
  return rows[0]?.count ?? 0;
}

/** Polls `probe` until it returns true; throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

interface Row {
  id: number;
  contact: string;
  direction: 'in' | 'out';
  wa_message_id: string | null;
  idempotency_key: string | null;
  text: string | null;
  status: string;
  conversation_id: string | null;
}

export interface VerifyOptions {
  /** Each message was sent after the previous reply: one checkpoint per message, in/out alternate. */
  lockstep: boolean | ((script: Script) => boolean);
  /** The simulator's delivery log (every delivery by idempotency key, duplicates included). */
  deliveries?: string[];
}

/**
 * Checks, straight from Postgres, that every scripted conversation happened exactly once and
 * completely: inbound rows unique and processed, the bot's replies exactly the expected ones (none
 * lost, none doubled) and delivered once, one completed conversation with the right answers and
 * one responses row, and checkpoint versions 1, 2, 3… in order. Returns the problems found.
 */
export async function verifyConversations(
  db: Queryable,
  numberId: string,
  scripts: Script[],
  options: VerifyOptions,
): Promise<string[]> {
  const problems: string[] = [];
  const { rows: messages } = await db.query<Row>(
    `select id, contact, direction, wa_message_id, idempotency_key, body->>'text' as text, status, conversation_id
     from messages where number_id = $1 order by id`,
    [numberId],
  );
  const { rows: conversations } = await db.query<{
    id: string;
    contact: string;
    status: string;
    answers: Record<string, unknown>;
  }>('select id, contact, status, answers from conversations where number_id = $1', [numberId]);
  const { rows: responses } = await db.query<{ conversation_id: string; answers: Record<string, unknown> }>(
    `select r.conversation_id, r.answers from responses r join conversations c on c.id = r.conversation_id
     where c.number_id = $1`,
    [numberId],
  );
  const { rows: states } = await db.query<{ contact: string; version: number }>(
    'select contact, version from contact_states where number_id = $1',
    [numberId],
  );
  const group = <T extends { contact: string }>(rows: T[]) => {
    const byContact = new Map<string, T[]>();
    for (const row of rows) byContact.set(row.contact, [...(byContact.get(row.contact) ?? []), row]);
    return byContact;
  };
  const messagesOf = group(messages);
  const conversationsOf = group(conversations);
  const versionOf = new Map(states.map((row) => [row.contact, Number(row.version)]));
  const scripted = new Set(scripts.map((script) => script.contact));
  for (const contact of messagesOf.keys()) {
    if (!scripted.has(contact)) problems.push(`${contact}: messages for a contact no script played`);
  }

  for (const script of scripts) {
    const fail = (problem: string) => problems.push(`${script.contact}: ${problem}`);
    const lockstep = typeof options.lockstep === 'boolean' ? options.lockstep : options.lockstep(script);
    const rows = messagesOf.get(script.contact) ?? [];
    const inbound = rows.filter((row) => row.direction === 'in');
    const outbound = rows.filter((row) => row.direction === 'out');
    const expectedIds = script.steps.map((step) => step.id);
    const expectedTexts = script.steps.flatMap((step) => step.replies);
    const ids = inbound.map((row) => row.wa_message_id);
    if (!isDeepStrictEqual(ids, expectedIds)) fail(`inbound ids ${JSON.stringify(ids)}`);
    const unprocessed = inbound.filter((row) => row.status !== 'processed');
    if (unprocessed.length > 0) fail(`${unprocessed.length} inbound not processed`);
    const texts = outbound.map((row) => row.text);
    if (!isDeepStrictEqual(texts, expectedTexts)) fail(`bot said ${JSON.stringify(texts)}`);
    const unsent = outbound.filter((row) => row.status !== 'sent');
    if (unsent.length > 0) fail(`replies not sent: ${unsent.map((row) => row.status).join(', ')}`);
    if (lockstep) {
      const order = rows.map((row) =>
        row.direction === 'in' ? `in:${row.wa_message_id}` : `out:${row.text}`,
      );
      const expectedOrder = script.steps.flatMap((step) => [
        `in:${step.id}`,
        ...step.replies.map((text) => `out:${text}`),
      ]);
      if (!isDeepStrictEqual(order, expectedOrder)) fail(`transcript order ${JSON.stringify(order)}`);
    }

    // Checkpoint versions: the idempotency key of a reply is number:contact:version:seq.
    const keys = outbound.map((row) => (row.idempotency_key ?? '').split(':'));
    const versions = keys.map((parts) => Number(parts[parts.length - 2]));
    const distinct = versions.filter((version, index) => index === 0 || version !== versions[index - 1]);
    const stored = versionOf.get(script.contact);
    const sequential = distinct.every((version, index) => version === index + 1);
    if (!sequential || distinct.length !== stored) {
      fail(`checkpoint versions of replies ${JSON.stringify(versions)}, stored version ${stored}`);
    }
    if (lockstep && stored !== script.steps.length) {
      fail(`stored version ${stored}, expected one checkpoint per message (${script.steps.length})`);
    }

    const mine = conversationsOf.get(script.contact) ?? [];
    const conversation = mine[0];
    if (mine.length !== 1 || conversation === undefined) {
      fail(`${mine.length} conversations (${mine.map((row) => row.status).join(', ')})`);
      continue;
    }
    if (conversation.status !== 'completed') fail(`conversation ${conversation.status}`);
    if (!isDeepStrictEqual(conversation.answers, script.answers)) {
      fail(`conversation answers ${JSON.stringify(conversation.answers)}`);
    }
    const stray = rows.filter((row) => row.conversation_id !== conversation.id);
    if (stray.length > 0) fail(`${stray.length} messages not linked to the conversation`);
    const answers = responses.filter((row) => row.conversation_id === conversation.id);
    if (answers.length !== 1 || !isDeepStrictEqual(answers[0]?.answers, script.answers)) {
      fail(`responses ${JSON.stringify(answers.map((row) => row.answers))}`);
    }
  }

  if (options.deliveries !== undefined) {
    const seen = new Set<string>();
    const doubled = options.deliveries.filter((key) => seen.has(key) || !seen.add(key));
    if (doubled.length > 0) problems.push(`delivered twice: ${doubled.slice(0, 10).join(', ')}`);
    const keys = new Set(messages.filter((row) => row.direction === 'out').map((row) => row.idempotency_key));
    const missing = [...keys].filter((key) => key !== null && !seen.has(key));
    if (missing.length > 0) problems.push(`never delivered: ${missing.slice(0, 10).join(', ')}`);
    const unknown = [...seen].filter((key) => !keys.has(key));
    if (unknown.length > 0) problems.push(`delivered without a row: ${unknown.slice(0, 10).join(', ')}`);
  }
  return problems;
}

/** The simulator's delivery log of a number, through a runtime's HTTP API. */
export async function fetchDeliveries(base: string, numberId: string): Promise<string[]> {
  const response = await fetch(`${base}/simulator/numbers/${numberId}/deliveries`, {
    headers: internalAuth,
    signal: AbortSignal.timeout(5_000),
  });
  return ((await response.json()) as { deliveries: string[] }).deliveries;
}

/** Keys under a prefix, counted by kind (`state`, `lock`, `sim`…: the segment after the prefix). */
export async function redisKeys(
  redis: import('ioredis').Redis,
  prefix: string,
): Promise<{ keys: string[]; kinds: Record<string, number> }> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const kinds: Record<string, number> = {};
  for (const key of keys) {
    const kind = key.slice(prefix.length).split(':')[0] ?? '';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return { keys, kinds };
}
