import { type ConnectedBus, connectBus } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage } from './support/conversation-driver.js';
import { agentMessage, handoffFlow } from './support/inbox-control.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { freePort, type RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { fetchDeliveries, processedInbound, settle, waitUntil } from './support/verify.js';

const CONTACTS = 40;
/** Rounds of (contact message, agent message) per contact once it is handed off. */
const ROUNDS = 6;

interface Row {
  contact: string;
  direction: 'in' | 'out';
  type: string;
  status: string;
  text: string | null;
  kind: string | null;
  idempotency_key: string | null;
}

describe('a runtime SIGKILLed during hand-offs', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;
  let bus: ConnectedBus;
  let workspaceId: string;
  let numberId: string;
  let port: number;
  const start = () => env.start({ port });
  const contacts = Array.from(
    { length: CONTACTS },
    (_, index) => `+1555030${String(index).padStart(4, '0')}`,
  );

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ workspaceId, numberId } = await seedPublishedFlow(env.database.db, handoffFlow));
    bus = await connectBus({ redisUrl: env.redis.url, prefix: env.redis.prefix, db: env.database.db });
    port = await freePort();
    runtime = await start();
  });

  afterAll(async () => {
    await bus?.close();
    await env?.cleanup();
  });

  it('loses and duplicates none of the contacts’ and agents’ messages, interleaved', async () => {
    const options = () => ({ deadline: Date.now() + 90_000, signal: env.stop.signal });
    for (const text of ['hi', 'Ana']) {
      await Promise.all(
        contacts.map((contact) =>
          postMessage(runtime.base, numberId, contact, { id: `${contact}-${text}`, text }, options()),
        ),
      );
      await settle(env.database.db, numberId);
    }
    const { rows: handedOff } = await env.database.db.query<{ count: number }>(
      `select count(*)::int as count from conversations where number_id = $1 and status = 'handoff'`,
      [numberId],
    );
    expect(handedOff[0]?.count).toBe(CONTACTS);

    const before = await processedInbound(env.database.db, numberId);
    const total = CONTACTS * ROUNDS * 2;
    /** The ids the API would have returned for each contact's agent messages, in order. */
    const agentIds = new Map<string, string[]>();
    const play = async (contact: string) => {
      const ids: string[] = [];
      agentIds.set(contact, ids);
      for (let round = 1; round <= ROUNDS; round++) {
        // Posted to whichever runtime is up; retried with the same id across the kill.
        await postMessage(
          runtime.base,
          numberId,
          contact,
          { id: `${contact}-c${round}`, text: `contact ${round}` },
          options(),
        );
        ids.push(
          await agentMessage(env.database.db, bus.bus, { workspaceId, numberId, contact }, `agent ${round}`),
        );
      }
    };
    const playing = Promise.all(contacts.map(play));

    await waitUntil(
      '30% of the hand-off messages are processed',
      async () => (await processedInbound(env.database.db, numberId)) - before >= total * 0.3,
      60_000,
    );
    const atKill = (await processedInbound(env.database.db, numberId)) - before;
    await runtime.kill('SIGKILL');
    // Down for a moment while contacts and agents keep writing: the outage is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 500));
    runtime = await start();
    await playing;
    await settle(env.database.db, numberId, 60_000);
    expect(atKill).toBeLessThan(total);

    const { rows } = await env.database.db.query<Row>(
      `select contact, direction, type, status, body->>'text' as text, body->>'kind' as kind, idempotency_key
       from messages where number_id = $1 order by id`,
      [numberId],
    );
    const problems: string[] = [];
    for (const contact of contacts) {
      const mine = rows.filter((row) => row.contact === contact);
      const inbound = mine
        .filter((row) => row.direction === 'in')
        .map((row) => `${row.type}:${row.text}:${row.status}`);
      const expectedIn = [
        'text:hi:processed',
        'text:Ana:processed',
        ...Array.from({ length: ROUNDS }, (_, index) => [
          `text:contact ${index + 1}:processed`,
          `control:agent ${index + 1}:processed`,
        ]).flat(),
      ];
      if (JSON.stringify(inbound) !== JSON.stringify(expectedIn))
        problems.push(`${contact} inbound ${JSON.stringify(inbound)}`);
      const outbound = mine.filter((row) => row.direction === 'out');
      const said = outbound.map((row) => `${row.kind ?? 'bot'}:${row.text}:${row.status}`);
      const expectedOut = [
        'prompt:Your name?:sent',
        'message:A person will answer, Ana.:sent',
        ...Array.from({ length: ROUNDS }, (_, index) => `agent:agent ${index + 1}:delivered`),
      ];
      if (JSON.stringify(said) !== JSON.stringify(expectedOut))
        problems.push(`${contact} outbound ${JSON.stringify(said)}`);
      const keys = outbound.filter((row) => row.kind === 'agent').map((row) => row.idempotency_key);
      const expectedKeys = (agentIds.get(contact) ?? []).map((id) => `${numberId}:${contact}:agent-${id}`);
      if (JSON.stringify(keys) !== JSON.stringify(expectedKeys))
        problems.push(`${contact} agent keys ${JSON.stringify(keys)}`);
    }
    expect(problems).toEqual([]);

    // Every reply went to the contact exactly once.
    const deliveries = await fetchDeliveries(runtime.base, numberId);
    const seen = new Set<string>();
    expect(deliveries.filter((key) => seen.has(key) || !seen.add(key))).toEqual([]);
    const outKeys = rows.filter((row) => row.direction === 'out').map((row) => row.idempotency_key as string);
    expect(outKeys.filter((key) => !seen.has(key))).toEqual([]);

    const { rows: conversations } = await env.database.db.query<{ status: string; replied: boolean }>(
      `select status, first_agent_reply_at is not null as replied from conversations where number_id = $1`,
      [numberId],
    );
    expect(conversations).toHaveLength(CONTACTS);
    expect(conversations.every((row) => row.status === 'handoff' && row.replied)).toBe(true);
    console.info(
      `inbox crash: ${CONTACTS} hand-offs, ${total} messages, killed after ${atKill} of them were processed`,
    );
  }, 150_000);
});
