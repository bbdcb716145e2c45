import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

// The name pattern that froze two runtimes: exponential for a backtracking engine on EVIL.
const NAME_PATTERN = '^([a-zA-Z]+ ?)+$';
const EVIL = `${'a'.repeat(39)}!`;

function nameFlow(name: string, pattern: string) {
  return {
    schemaVersion: 1,
    name,
    triggers: [{ id: 't1', type: 'any_message', target: 'ask' }],
    nodes: [
      {
        id: 'ask',
        type: 'question',
        config: {
          prompt: 'Your full name?',
          variable: 'name',
          answer: { type: 'string', pattern },
          retry: { message: 'Letters and spaces only, please.' },
        },
      },
      { id: 'done', type: 'end', config: { text: 'Thanks!' } },
    ],
    edges: [{ id: 'e1', source: 'ask', sourceHandle: 'next', target: 'done' }],
  };
}

describe('author regular expressions through the API', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  async function createFlow(definition: { name: string }): Promise<string> {
    const created = await editor.call('post', '/flows', { name: definition.name, definition });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  it('refuses to publish a pattern RE2 cannot run, pointing at it in plain words', async () => {
    const id = await createFlow(nameFlow('Lookahead', '^(?=.*\\d).{8,}$'));
    const problem = {
      pointer: '/nodes/0/config/answer/pattern',
      message:
        "The answer settings are not valid: the pattern “^(?=.*\\d).{8,}$” can't be used: lookaheads like (?=…) and (?!…) are not supported. Describe the text itself instead.",
    };
    const validated = await editor.call('post', `/flows/${id}/validate`);
    expect(validated.status).toBe(200);
    expect(validated.body.errors).toEqual([problem]);
    const published = await editor.call('post', `/flows/${id}/publish`);
    expect(published.status).toBe(422);
    expect(published.body.error.details.errors).toEqual([problem]);
  });

  it('publishes the pathological name pattern, and a contact’s 40-character answer gets a reply', async () => {
    const id = await createFlow(nameFlow('Names', NAME_PATTERN));
    expect((await editor.call('post', `/flows/${id}/publish`)).status).toBe(201);
    const session = await editor.call('post', '/simulator/sessions', { flowId: id });
    expect(session.status).toBe(201);
    const say = async (text: string) => {
      const reply = await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, { text });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body.messages;
    };
    expect(await say('hi')).toEqual([{ text: 'Your full name?' }]);
    expect(await say(EVIL)).toEqual([{ text: 'Letters and spaces only, please.' }]);
    expect(await say('Ana Lima')).toEqual([{ text: 'Thanks!' }]);
  });
});
