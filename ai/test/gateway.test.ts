import {
  AiSdkGateway,
  listModels,
  type ModelCallRecord,
  ModelError,
  type ModelRequest,
  type ProviderConfig,
} from '@parley/ai';
import type { AiProviderKind } from '@parley/contract';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AiStandin,
  PHOTO,
  type StandinProtocol,
  startAiStandin,
} from '../../test/support/ai-standin.js';

/** The real provider libraries against the local stand-in, for each provider kind. */
let standin: AiStandin;
beforeAll(async () => {
  standin = await startAiStandin();
});
afterAll(async () => {
  await standin.close();
});
beforeEach(() => {
  standin.requests.length = 0;
});

const KINDS: { kind: AiProviderKind; protocol: StandinProtocol; model: string }[] = [
  { kind: 'openai', protocol: 'openai', model: 'gpt-4o-mini' },
  { kind: 'anthropic', protocol: 'anthropic', model: 'claude-haiku-4-5' },
  { kind: 'google', protocol: 'google', model: 'gemini-2.5-flash' },
  { kind: 'openai_compatible', protocol: 'openai', model: 'llama3.2' },
];

const BOOK_TABLE = {
  name: 'book_table',
  description: 'Books a table',
  parameters: {
    type: 'object',
    properties: { people: { type: 'integer' }, time: { type: 'string' } },
    required: ['people', 'time'],
  },
};

/** How each protocol carries a tool's answer in the next request. */
const TOOL_RESULT_SHAPE: Record<AiProviderKind, string> = {
  openai: '"tool_call_id":"call_7"',
  openai_compatible: '"tool_call_id":"call_7"',
  anthropic: '"tool_use_id":"call_7"',
  google: '"functionResponse"',
};

function provider(kind: AiProviderKind, protocol: StandinProtocol, apiKey = standin.apiKey): ProviderConfig {
  return { kind, apiKey, baseUrl: standin.baseUrl(protocol) };
}

const gateway = new AiSdkGateway();

describe.each(KINDS)('$kind', ({ kind, protocol, model }) => {
  const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
    provider: provider(kind, protocol),
    model,
    system: 'You answer for a bakery.',
    messages: [{ role: 'user', content: 'When do you open?' }],
    ...extra,
  });

  describe.each([false, true])('streaming %s', (stream) => {
    it('answers with text and counts the tokens', async () => {
      standin.script({ reply: { text: 'We open at eight.', usage: { input: 21, output: 6 } } });
      const result = await gateway.generate(request({ stream }));
      expect(result).toMatchObject({
        text: 'We open at eight.',
        toolCalls: [],
        usage: { inputTokens: 21, outputTokens: 6 },
        finishReason: 'stop',
        attempts: 1,
      });
      const sent = standin.requests.at(-1);
      expect(sent?.stream).toBe(stream);
      expect(JSON.stringify(sent?.body)).toContain('You answer for a bakery.');
      expect(JSON.stringify(sent?.body)).toContain('When do you open?');
    });

    it('hands back the tools the model calls, with their arguments', async () => {
      standin.script({
        reply: { toolCalls: [{ name: 'book_table', arguments: { people: 4, time: '20:00' } }] },
      });
      const result = await gateway.generate(
        request({
          stream,
          tools: [
            {
              name: 'book_table',
              description: 'Books a table',
              parameters: {
                type: 'object',
                properties: { people: { type: 'integer' }, time: { type: 'string' } },
                required: ['people', 'time'],
              },
            },
          ],
        }),
      );
      expect(result.toolCalls).toEqual([
        { id: expect.any(String), name: 'book_table', arguments: { people: 4, time: '20:00' } },
      ]);
      expect(result.finishReason).toBe('tool-calls');
      expect(JSON.stringify(standin.requests.at(-1)?.body)).toContain('book_table');
    });

    it('sends a tool’s answer back with the call it answers, in the provider’s own shape', async () => {
      standin.script({ reply: { text: 'Booked for 4 at 20:00.' } });
      const result = await gateway.generate(
        request({
          stream,
          tools: [BOOK_TABLE],
          messages: [
            { role: 'user', content: 'A table for 4 at 8pm' },
            {
              role: 'assistant',
              content: '',
              toolCalls: [{ id: 'call_7', name: 'book_table', arguments: { people: 4, time: '20:00' } }],
            },
            { role: 'tool', results: [{ id: 'call_7', name: 'book_table', output: { booked: true } }] },
          ],
        }),
      );
      expect(result.text).toBe('Booked for 4 at 20:00.');
      const body = JSON.stringify(standin.requests.at(-1)?.body);
      expect(body).toContain(TOOL_RESULT_SHAPE[kind]);
      expect(body).toContain('booked');
    });

    it('hands back a call whose arguments break the tool’s schema as invalid, instead of failing', async () => {
      standin.script({ reply: { toolCalls: [{ name: 'book_table', arguments: { people: 'lots' } }] } });
      const result = await gateway.generate(request({ stream, tools: [BOOK_TABLE] }));
      expect(result.toolCalls).toEqual([
        {
          id: expect.any(String),
          name: 'book_table',
          arguments: { people: 'lots' },
          invalid: expect.stringMatching(/.+/),
        },
      ]);
    });

    it('answers with structured output checked against the schema', async () => {
      const schema = {
        type: 'object',
        properties: { name: { type: 'string' }, guests: { type: 'integer' } },
        required: ['name', 'guests'],
        additionalProperties: false,
      };
      standin.script({ reply: { json: { name: 'Ana', guests: 3 } } });
      const result = await gateway.generate(request({ stream, output: { schema, name: 'booking' } }));
      expect(result.output).toEqual({ name: 'Ana', guests: 3 });
      expect(JSON.stringify(standin.requests.at(-1)?.body)).toContain('guests');

      standin.script({ reply: { json: { name: 'Ana' } } });
      const wrong = await gateway.generate(request({ stream, output: { schema } })).catch((error) => error);
      expect(wrong).toBeInstanceOf(ModelError);
      expect(wrong.code).toBe('bad_answer');
      expect(wrong.message).toContain('not in the shape that was asked for');
    });
  });

  it('sends images the contact sent', async () => {
    const png = Uint8Array.from(Buffer.from('iVBORw0KGgo=', 'base64'));
    await gateway.generate(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this photo?' },
              { type: 'image', image: png, mediaType: 'image/png' },
            ],
          },
        ],
      }),
    );
    expect(JSON.stringify(standin.requests.at(-1)?.body)).toContain('iVBORw0KGgo=');
  });

  it('says the key was refused, in words', async () => {
    const error = await gateway
      .generate(request({ provider: provider(kind, protocol, 'sk-wrong') }))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('auth_refused');
    expect(error.message).toMatch(/refused the API key/);
  });

  it('says the model does not exist', async () => {
    const error = await gateway.generate(request({ model: 'no-such-model' })).catch((caught) => caught);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('no model called “no-such-model”');
  });

  it.each([false, true])('waits as long as a 429 asks, then tries again (streaming %s)', async (stream) => {
    standin.script(
      { fail: { status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '50' } } },
      { reply: { text: 'Now it works.' } },
    );
    const result = await gateway.generate(request({ stream }));
    expect(result.text).toBe('Now it works.');
    expect(result.attempts).toBe(2);
  });

  it('lists the models the key can use', async () => {
    expect(await listModels(provider(kind, protocol))).toEqual({
      models: [...standin.models].sort(),
      source: 'provider',
    });
  });
});

describe('retries and failures', () => {
  const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
    provider: provider('openai', 'openai'),
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hello' }],
    ...extra,
  });

  it('reads retry-after in seconds', async () => {
    standin.script({ fail: { status: 429, headers: { 'retry-after': '1' } } }, { reply: { text: 'ok' } });
    const started = Date.now();
    const result = await gateway.generate(request());
    expect(result.attempts).toBe(2);
    // Time passing is the behaviour under test: the provider asked for a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not wait longer than allowed: a long retry-after fails at once and says how long', async () => {
    standin.script({ fail: { status: 429, headers: { 'retry-after': '120' } } });
    const error = await gateway.generate(request()).catch((caught) => caught);
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toContain('asked to wait 120 seconds');
    expect(standin.requests).toHaveLength(1);
  });

  it('tells its observer of each finished call: tokens, attempts, or why it failed', async () => {
    const calls: ModelCallRecord[] = [];
    const observed = new AiSdkGateway({ onCall: (call) => calls.push(call) });
    standin.script(
      { fail: { status: 429, headers: { 'retry-after-ms': '10' } } },
      { reply: { text: 'hi', usage: { input: 7, output: 2 } } },
    );
    await observed.generate(request());
    await observed.generate(request({ model: 'no-such-model' })).catch((caught) => caught);
    expect(calls).toEqual([
      expect.objectContaining({
        kind: 'openai',
        model: 'gpt-4o-mini',
        ok: true,
        usage: { inputTokens: 7, outputTokens: 2 },
        attempts: 2,
      }),
      expect.objectContaining({ model: 'no-such-model', ok: false, code: 'model_not_found', attempts: 1 }),
    ]);
    expect(calls[0]?.latencyMs).toBeGreaterThanOrEqual(10);
  });

  it('gives up after a bounded number of attempts', async () => {
    const limited = { fail: { status: 429, headers: { 'retry-after-ms': '10' } } };
    standin.script(limited, limited, limited, limited);
    const error = await new AiSdkGateway({ maxAttempts: 3 }).generate(request()).catch((caught) => caught);
    expect(error.code).toBe('rate_limited');
    expect(standin.requests).toHaveLength(3);
    standin.script({ reply: {} });
    await gateway.generate(request());
  });

  it('tries again after a passing server error, with backoff', async () => {
    standin.script({ fail: { status: 503, message: 'overloaded' } }, { reply: { text: 'back' } });
    const result = await gateway.generate(request());
    expect(result).toMatchObject({ text: 'back', attempts: 2 });
  });

  it('says a provider error in words, with what the provider said', async () => {
    standin.script({ fail: { status: 400, message: 'messages: too long' } });
    const error = await gateway.generate(request()).catch((caught) => caught);
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('(HTTP 400): messages: too long');
  });

  it('times out when the provider is too slow', async () => {
    standin.script({ reply: { text: 'late', delayMs: 2000 } });
    const error = await gateway.generate(request({ timeoutMs: 300 })).catch((caught) => caught);
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('did not answer within');
  });

  it('says when nothing answers at the address', async () => {
    const closed = await startAiStandin();
    const url = closed.baseUrl('openai');
    await closed.close();
    const error = await gateway
      .generate(request({ provider: { kind: 'openai_compatible', baseUrl: url } }))
      .catch((caught) => caught);
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('connection refused');
  });

  it('fetches an image URL the provider cannot fetch itself through its own fetch', async () => {
    const fetched: string[] = [];
    const watched = new AiSdkGateway({
      fetch: (input, init) => {
        fetched.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    const photo = new URL(`${standin.url}/files/photo.png`);
    await watched.generate({
      provider: provider('google', 'google'),
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: [{ type: 'image', image: photo, mediaType: 'image/png' }] }],
    });
    expect(fetched[0]).toBe(photo.href);
    expect(JSON.stringify(standin.requests.at(-1)?.body)).toContain(PHOTO.toString('base64'));

    const missing = await watched
      .generate({
        provider: provider('google', 'google'),
        model: 'gemini-2.5-flash',
        messages: [
          { role: 'user', content: [{ type: 'image', image: new URL(`${standin.url}/files/gone.png`) }] },
        ],
      })
      .catch((caught) => caught);
    expect(missing.code).toBe('image_unavailable');
    expect(missing.message).toContain(
      'gone.png could not be fetched for the model: the address answered HTTP 404',
    );
  });

  it('falls back to the known models when a server has no list', async () => {
    standin.listsModels = false;
    try {
      expect(await listModels(provider('openai', 'openai'))).toMatchObject({ source: 'known' });
      expect((await listModels(provider('openai', 'openai'))).models).toContain('gpt-4o-mini');
    } finally {
      standin.listsModels = true;
    }
  });

  it('refuses a wrong key when listing models too', async () => {
    const error = await listModels(provider('anthropic', 'anthropic', 'nope')).catch((caught) => caught);
    expect(error.code).toBe('auth_refused');
  });
});
