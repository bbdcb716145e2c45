import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

const greeting = (tag: string) => ({
  schemaVersion: 1,
  name: `Greeting ${tag}`,
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [{ id: 'n1', type: 'end', position: { x: 0, y: 0 }, config: { text: `${tag} hello.` } }],
  edges: [],
});

const TTL_MS = 1000;

describe('a publish notice the runtime never receives', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    runtime = await env.start({ env: { PARLEY_FLOW_CACHE_TTL_MS: String(TTL_MS) } });
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('does not leave the number on the old version: the cached assignment expires', async () => {
    const {
      workspaceId,
      numberId,
      flowId,
      versionId: v1,
    } = await seedPublishedFlow(env.database.db, greeting('V1'));
    let seq = 0;
    /** A new contact says hi; resolves with the bot's first reply. */
    const greet = async (): Promise<string> => {
      seq += 1;
      const contact = `+1555000${String(seq).padStart(4, '0')}`;
      await postMessage(
        runtime.base,
        numberId,
        contact,
        { id: `m-${seq}`, text: 'hi' },
        { deadline: Date.now() + 20_000, signal: env.stop.signal },
      );
      let texts: string[] = [];
      await waitUntil(
        `${contact} got a reply`,
        async () => {
          texts = botTexts((await fetchTranscript(runtime.base, numberId, contact)) ?? []);
          return texts.length > 0;
        },
        10_000,
      );
      return texts[0] as string;
    };

    expect(await greet()).toBe('V1 hello.');
    // Version 2 is published the way the API does it, but the notice on the bus is lost.
    const json = JSON.stringify(greeting('V2'));
    const publishedAt = Date.now();
    await env.database.db.transaction(async (tx) => {
      await tx.query(`update flow_versions set status = 'archived' where id = $1`, [v1]);
      await tx.query(
        `insert into flow_versions (id, workspace_id, flow_id, version, status, definition, checksum, published_at)
         values ($1, $2, $3, 2, 'published', $4::jsonb, $5, now())`,
        [randomUUID(), workspaceId, flowId, json, createHash('sha256').update(json).digest('hex')],
      );
    });
    // New contacts keep arriving; within the cache's lifetime (plus a turn) they start on version 2.
    let reply = await greet();
    while (reply !== 'V2 hello.') {
      expect(reply).toBe('V1 hello.');
      expect(Date.now() - publishedAt).toBeLessThan(TTL_MS + 5000);
      reply = await greet();
    }
    expect(Date.now() - publishedAt).toBeLessThan(TTL_MS + 5000);
  }, 60_000);
});
