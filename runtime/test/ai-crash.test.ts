import { randomUUID } from 'node:crypto';
import { cipherPurposes, SecretCipher } from '@parley/db';
import { TEST_SECRET_KEY } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin.js';
import { bookingFlow, seedAiCredential } from './support/ai-seed.js';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { freePort } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

describe('a model call cut off by a SIGKILL', () => {
  let env: RuntimeEnv;
  let standin: AiStandin;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    standin = await startAiStandin();
  });

  afterAll(async () => {
    await env?.cleanup();
    await standin?.close();
  });

  it('is made again once by the next runtime, noted, and the conversation goes on', async () => {
    const credentialId = randomUUID();
    const { numberId, workspaceId } = await seedPublishedFlow(
      env.database.db,
      bookingFlow('https://tools.example.com/slots', credentialId),
    );
    await seedAiCredential(env.database.db, workspaceId, standin, credentialId);
    // The tools' header saved as a secret, as the API stores it.
    const headerCipher = SecretCipher.fromSecrets(cipherPurposes.headerValue, TEST_SECRET_KEY);
    await env.database.db.query(
      `update flow_versions set definition = jsonb_set(definition, '{nodes,0,config,headers,x-api-key}', $2::jsonb)
       where workspace_id = $1`,
      [workspaceId, JSON.stringify({ secret: headerCipher.sealText('tool-secret', workspaceId) })],
    );
    const port = await freePort();
    const start = (extra: Record<string, string> = {}) =>
      env.start({
        port,
        // The provider stand-in listens on this machine.
        env: { PARLEY_ALLOW_PRIVATE_HTTP: '1', PARLEY_SECRET_KEY: TEST_SECRET_KEY, ...extra },
      });
    const greeting = 'Hello! Which day suits you?';
    standin.script(
      // Held until the runtime is gone.
      { reply: { text: greeting, delayMs: 30_000 } },
      { reply: { text: greeting } },
      {
        reply: {
          text: 'See you on Tuesday.',
          toolCalls: [
            { name: 'save_variables', arguments: { day: 'Tuesday' } },
            { name: 'finish', arguments: {} },
          ],
        },
      },
    );
    const contact = '+15550009001';
    const post = { deadline: Date.now() + 30_000, signal: env.stop.signal };

    const first = await start();
    await postMessage(first.base, numberId, contact, { id: 'k-1', text: 'hi' }, post);
    await waitUntil('the model got the call', async () => standin.requests.length === 1, 15_000);
    const { rows: pending } = await env.database.db.query<{
      payload: { type: string; call: { headers?: unknown; sealedHeaders?: string } };
    }>('select payload from pending_effects');
    expect(pending.map((row) => row.payload.type)).toEqual(['ai_call']);
    // The header's value waits encrypted, like an http_request's.
    expect(pending[0]?.payload.call.headers).toBeUndefined();
    expect(pending[0]?.payload.call.sealedHeaders).toMatch(/^sealed:/);
    expect(JSON.stringify(pending)).not.toContain('tool-secret');
    await first.kill('SIGKILL');

    // A runtime that treats unanswered calls older than a second as cut off.
    const second = await start({ PARLEY_STALE_EFFECT_MS: '1000' });
    await waitUntil(
      'the greeting was sent',
      async () => {
        const rows = await fetchTranscript(second.base, numberId, contact);
        return rows?.some((row) => row.direction === 'out' && row.status === 'sent') ?? false;
      },
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${second.logTail()}`);
    });
    expect(standin.requests).toHaveLength(2);
    const { rows: notes } = await env.database.db.query<{ kind: string; text: string }>(
      `select n.kind, n.text from conversation_notes n join conversations c on c.id = n.conversation_id
       where c.number_id = $1 order by n.id`,
      [numberId],
    );
    expect(notes.map((note) => note.kind)).toEqual(['ai_retried']);
    expect(notes[0]?.text).toContain('made again');

    await postMessage(second.base, numberId, contact, { id: 'k-2', text: 'Tuesday please' }, post);
    await waitUntil(
      'the booking was confirmed',
      async () =>
        botTexts((await fetchTranscript(second.base, numberId, contact)) ?? []).includes(
          'Booked for Tuesday.',
        ),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${second.logTail()}`);
    });
    expect(standin.requests).toHaveLength(3);
    // Nothing was sent twice.
    expect(botTexts((await fetchTranscript(second.base, numberId, contact)) ?? [])).toEqual([
      greeting,
      'See you on Tuesday.',
      'Booked for Tuesday.',
    ]);
    const { rows } = await env.database.db.query<{ status: string; variables: unknown }>(
      'select status, variables from conversations where number_id = $1',
      [numberId],
    );
    expect(rows).toEqual([{ status: 'completed', variables: { day: 'Tuesday' } }]);
    expect((await env.database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
  }, 90_000);

  it('is given up once cut off as often as allowed: the block leaves by failure and says why', async () => {
    const credentialId = randomUUID();
    const { numberId, workspaceId } = await seedPublishedFlow(
      env.database.db,
      bookingFlow('https://tools.example.com/slots', credentialId),
    );
    await seedAiCredential(env.database.db, workspaceId, standin, credentialId);
    const port = await freePort();
    const start = (extra: Record<string, string> = {}) =>
      env.start({
        port,
        env: { PARLEY_ALLOW_PRIVATE_HTTP: '1', PARLEY_SECRET_KEY: TEST_SECRET_KEY, ...extra },
      });
    standin.requests.length = 0;
    standin.script({ reply: { text: 'Never heard.', delayMs: 30_000 } });
    const contact = '+15550009002';
    const first = await start();
    await postMessage(
      first.base,
      numberId,
      contact,
      { id: 'g-1', text: 'hi' },
      { deadline: Date.now() + 30_000, signal: env.stop.signal },
    );
    await waitUntil('the model got the call', async () => standin.requests.length === 1, 15_000);
    await first.kill('SIGKILL');
    // As if a second runtime had made the call again and been killed too.
    await env.database.db.query('update pending_effects set attempts = 2');

    const second = await start({ PARLEY_STALE_EFFECT_MS: '1000' });
    await waitUntil(
      'the block failed',
      async () =>
        botTexts((await fetchTranscript(second.base, numberId, contact)) ?? []).includes('AI failed.'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${second.logTail()}`);
    });
    expect(standin.requests).toHaveLength(1);
    const { rows: notes } = await env.database.db.query<{ kind: string; text: string }>(
      `select n.kind, n.text from conversation_notes n join conversations c on c.id = n.conversation_id
       where c.number_id = $1 order by n.id`,
      [numberId],
    );
    expect(notes.map((note) => note.kind)).toEqual(['ai_failed']);
    expect(notes[0]?.text).toContain('cut off 2 times');
    expect((await env.database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
  }, 90_000);
});
