import type { Script } from './intake-flow.js';
import { internalAuth } from './internal-token.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DELIVERED = new Set(['sent', 'delivered', 'read']);

export interface TranscriptRow {
  id: number;
  direction: 'in' | 'out';
  status: string;
  idempotency_key: string | null;
  body: { text?: string };
}

export interface DriverOptions {
  numberId: string;
  /** The runtime step `index` is posted to (a test can alternate between runtimes). */
  baseFor: (stepIndex: number) => string;
  /** Give up (throw) at this time, epoch ms. */
  deadline: number;
  signal?: AbortSignal;
  /** `lockstep`: wait for each reply before the next message; `burst`: post them all, then wait. */
  mode?: 'lockstep' | 'burst';
  pollMs?: number;
  postTimeoutMs?: number;
  /** Told of every post as soon as a runtime accepted it. */
  onPost?: (post: PostRecord) => void;
}

export interface PostRecord {
  id: string;
  status: 'accepted' | 'duplicate';
  /** Attempts it took (the ones before the last failed or timed out). */
  attempts: number;
  /** When the 202 arrived. */
  answeredAt: number;
}

export interface DriverResult {
  contact: string;
  posts: PostRecord[];
}

function check(options: Pick<DriverOptions, 'deadline' | 'signal'>, what: string): void {
  if (options.signal?.aborted) throw new Error(`aborted while ${what}`);
  if (Date.now() > options.deadline) throw new Error(`deadline passed while ${what}`);
}

/**
 * Posts one simulated inbound message, retrying with the same id until a runtime accepts it (or
 * calls it a duplicate): a post that failed or timed out may or may not have been recorded.
 */
export async function postMessage(
  base: string,
  numberId: string,
  contact: string,
  message: { id: string; text: string },
  options: Pick<DriverOptions, 'deadline' | 'signal' | 'postTimeoutMs'>,
): Promise<PostRecord> {
  for (let attempts = 1; ; attempts += 1) {
    check(options, `posting ${message.id}`);
    try {
      const response = await fetch(`${base}/simulator/numbers/${numberId}/messages`, {
        method: 'POST',
        headers: { ...internalAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ contact, id: message.id, text: message.text }),
        signal: AbortSignal.timeout(options.postTimeoutMs ?? 4_000),
      });
      const body = (await response.json()) as { status?: string };
      if (response.status === 202 && (body.status === 'accepted' || body.status === 'duplicate')) {
        return { id: message.id, status: body.status, attempts, answeredAt: Date.now() };
      }
      if (response.status < 500) {
        throw new Error(`post ${message.id} refused: ${response.status} ${JSON.stringify(body)}`);
      }
    } catch (error) {
      if ((error as Error).message.includes('refused:')) throw error;
      // Down, restarting, cut off or too slow: try again with the same id.
    }
    await sleep(100 + Math.random() * 150);
  }
}

/** A contact's transcript (every message row, by id), or null when the runtime did not answer. */
export async function fetchTranscript(
  base: string,
  numberId: string,
  contact: string,
): Promise<TranscriptRow[] | null> {
  try {
    const response = await fetch(
      `${base}/simulator/numbers/${numberId}/contacts/${encodeURIComponent(contact)}/messages`,
      { headers: internalAuth, signal: AbortSignal.timeout(4_000) },
    );
    if (!response.ok) return null;
    return ((await response.json()) as { messages: TranscriptRow[] }).messages;
  } catch {
    return null;
  }
}

/** Bot texts of a transcript, in order. */
export const botTexts = (rows: TranscriptRow[]) =>
  rows.filter((row) => row.direction === 'out').map((row) => row.body.text ?? '');

/**
 * Waits until `count` bot replies have been delivered. Fails at once if the replies so far are not
 * a prefix of `expected` (a duplicate, a lost answer, a step out of order).
 */
async function waitForReplies(
  script: Script,
  expected: string[],
  count: number,
  base: () => string,
  options: DriverOptions,
): Promise<void> {
  for (;;) {
    check(options, `waiting for reply ${count} of ${script.contact}`);
    const rows = await fetchTranscript(base(), options.numberId, script.contact);
    if (rows !== null) {
      const texts = botTexts(rows);
      const mismatch = texts.findIndex((text, index) => text !== expected[index]);
      if (mismatch !== -1 || texts.length > expected.length) {
        throw new Error(
          `${script.contact}: bot said ${JSON.stringify(texts)}, expected ${JSON.stringify(expected)}`,
        );
      }
      const delivered = rows.filter((row) => row.direction === 'out' && DELIVERED.has(row.status)).length;
      if (delivered >= count) return;
    }
    await sleep((options.pollMs ?? 200) * (0.75 + Math.random() / 2));
  }
}

/** Plays a contact's script against the runtime(s); resolves once every reply was delivered. */
export async function runConversation(script: Script, options: DriverOptions): Promise<DriverResult> {
  const expected = script.steps.flatMap((step) => step.replies);
  const posts: PostRecord[] = [];
  let replies = 0;
  let last = 0;
  const base = () => options.baseFor(last);
  for (const [index, step] of script.steps.entries()) {
    last = index;
    const post = await postMessage(options.baseFor(index), options.numberId, script.contact, step, options);
    options.onPost?.(post);
    posts.push(post);
    replies += step.replies.length;
    if (options.mode !== 'burst') await waitForReplies(script, expected, replies, base, options);
  }
  if (options.mode === 'burst') await waitForReplies(script, expected, replies, base, options);
  return { contact: script.contact, posts };
}

/**
 * Runs every script at once and collects results and failures (all drivers run to the end, so a
 * failure report lists every broken conversation, not only the first).
 */
export async function runConversations(
  scripts: Script[],
  options: (script: Script, index: number) => DriverOptions,
): Promise<{ results: DriverResult[]; failures: string[] }> {
  const settled = await Promise.allSettled(
    scripts.map((script, index) => runConversation(script, options(script, index))),
  );
  const results: DriverResult[] = [];
  const failures: string[] = [];
  for (const outcome of settled) {
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else failures.push((outcome.reason as Error).message);
  }
  return { results, failures };
}
