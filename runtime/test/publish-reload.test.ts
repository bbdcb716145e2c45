import { createHash, randomUUID } from 'node:crypto';
import { busChannels } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

const versionedFlow = (tag: string) => ({
  schemaVersion: 1,
  name: `Greeting ${tag}`,
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: `${tag}: your name?`, variable: 'name', answer: { type: 'string' } },
    },
    { id: 'n2', type: 'end', position: { x: 0, y: 140 }, config: { text: `${tag} thanks {{name}}.` } },
  ],
  edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
});

describe('publishing a new version to a running runtime', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    // A long cache lifetime: this test shows the notice itself reloads the version.
    runtime = await env.start({ env: { PARLEY_FLOW_CACHE_TTL_MS: '600000' } });
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('starts new conversations on the new version; running ones finish on theirs', async () => {
    const {
      workspaceId,
      numberId,
      flowId,
      versionId: v1,
    } = await seedPublishedFlow(env.database.db, versionedFlow('V1'));
    const pid = runtime.child.pid;
    let seq = 0;
    const say = async (contact: string, text: string, expected: string[]) => {
      seq += 1;
      await postMessage(
        runtime.base,
        numberId,
        contact,
        { id: `m-${seq}`, text },
        {
          deadline: Date.now() + 20_000,
          signal: env.stop.signal,
        },
      );
      let seen: string[] = [];
      await waitUntil(
        `${contact} got ${JSON.stringify(expected)} (has ${JSON.stringify(seen)})`,
        async () => {
          const rows = (await fetchTranscript(runtime.base, numberId, contact)) ?? [];
          seen = botTexts(rows);
          return (
            rows.filter((row) => row.direction === 'out' && row.status === 'sent').length >= expected.length
          );
        },
        10_000,
      );
      expect(seen).toEqual(expected);
    };

    await say('+1555000A', 'hi', ['V1: your name?']);

    // Publish version 2 the way the API does: archive the old one, insert the new one published,
    // in one transaction.
    const v2 = randomUUID();
    const json = JSON.stringify(versionedFlow('V2'));
    await env.database.db.transaction(async (tx) => {
      await tx.query(`update flow_versions set status = 'archived' where id = $1`, [v1]);
      await tx.query(
        `insert into flow_versions (id, workspace_id, flow_id, version, status, definition, checksum, published_at)
         values ($1, $2, $3, 2, 'published', $4::jsonb, $5, now())`,
        [v2, workspaceId, flowId, json, createHash('sha256').update(json).digest('hex')],
      );
    });
    // Until it is announced, the runtime keeps serving the assignment it cached.
    await say('+1555000C', 'hi', ['V1: your name?']);
    const receivers = await env.redis.redis.publish(
      `${env.redis.prefix}${busChannels.flows.name}`,
      JSON.stringify({ type: 'flow_published', workspaceId, flowId, versionId: v2 }),
    );
    expect(receivers).toBe(1);
    // The runtime only drops its cache on the announcement, which it does not report: a moment for it.
    await new Promise((resolve) => setTimeout(resolve, 300));

    await say('+1555000B', 'hi', ['V2: your name?']);
    await say('+1555000A', 'Ann', ['V1: your name?', 'V1 thanks Ann.']);
    await say('+1555000C', 'Cy', ['V1: your name?', 'V1 thanks Cy.']);
    await say('+1555000B', 'Bob', ['V2: your name?', 'V2 thanks Bob.']);
    // A's next conversation starts on the version now published.
    await say('+1555000A', 'hello again', ['V1: your name?', 'V1 thanks Ann.', 'V2: your name?']);

    const { rows } = await env.database.db.query<{
      contact: string;
      flow_version_id: string;
      status: string;
    }>(
      `select contact, flow_version_id, status from conversations where number_id = $1 order by started_at`,
      [numberId],
    );
    expect(rows).toEqual([
      { contact: '+1555000A', flow_version_id: v1, status: 'completed' },
      { contact: '+1555000C', flow_version_id: v1, status: 'completed' },
      { contact: '+1555000B', flow_version_id: v2, status: 'completed' },
      { contact: '+1555000A', flow_version_id: v2, status: 'active' },
    ]);
    const { rows: responses } = await env.database.db.query<{ flow_version_id: string; answers: unknown }>(
      `select r.flow_version_id, r.answers from responses r join conversations c on c.id = r.conversation_id
       where c.number_id = $1 order by r.completed_at`,
      [numberId],
    );
    expect(responses).toEqual([
      { flow_version_id: v1, answers: { name: 'Ann' } },
      { flow_version_id: v1, answers: { name: 'Cy' } },
      { flow_version_id: v2, answers: { name: 'Bob' } },
    ]);
    // The same process all along.
    expect(runtime.running).toBe(true);
    expect(runtime.child.pid).toBe(pid);
  }, 60_000);
});
