import { describe, expect, it } from 'vitest';
import { ModelError } from './model-error.js';
import type { ModelRequest } from './model-request.js';
import { ScriptedModel, UnscriptedRequest } from './scripted-model.js';

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  provider: { kind: 'openai' },
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

describe('ScriptedModel', () => {
  it('answers with the first entry that matches, and counts rough tokens', async () => {
    const model = ScriptedModel.fromJson({
      replies: [
        { when: { lastMessageContains: 'OPEN' }, reply: { text: 'We open at eight.' } },
        {
          when: { tool: 'book_table' },
          reply: { toolCalls: [{ name: 'book_table', arguments: { people: 2 } }] },
        },
      ],
      fallback: { text: 'Sorry?' },
    });
    const open = await model.generate(ask('when do you open'));
    expect(open).toMatchObject({ text: 'We open at eight.', finishReason: 'stop', attempts: 1 });
    expect(open.usage.inputTokens).toBeGreaterThan(0);
    const tools = [{ name: 'book_table', description: 'Books', parameters: { type: 'object' } }];
    const booked = await model.generate(ask('a table please', { tools }));
    expect(booked).toMatchObject({
      toolCalls: [{ name: 'book_table', arguments: { people: 2 } }],
      finishReason: 'tool-calls',
    });
    expect((await model.generate(ask('something else'))).text).toBe('Sorry?');
    expect(model.requests).toHaveLength(3);
  });

  it('answers an entry only as many times as it says, then the next one', async () => {
    const model = ScriptedModel.fromJson({
      replies: [{ reply: { text: 'first' }, times: 1 }, { reply: { text: 'then' } }],
    });
    expect((await model.generate(ask('a'))).text).toBe('first');
    expect((await model.generate(ask('a'))).text).toBe('then');
  });

  it('gives structured output from the script, or from JSON text', async () => {
    const schema = { type: 'object' };
    const model = ScriptedModel.fromJson({
      replies: [
        {
          when: { lastMessageContains: 'ana' },
          reply: { output: { name: 'Ana' }, usage: { inputTokens: 3, outputTokens: 4 } },
        },
        { reply: { text: '{"name":"Rui"}' } },
      ],
    });
    expect(await model.generate(ask('I am Ana', { output: { schema } }))).toMatchObject({
      output: { name: 'Ana' },
      usage: { inputTokens: 3, outputTokens: 4 },
    });
    expect((await model.generate(ask('I am Rui', { output: { schema } }))).output).toEqual({ name: 'Rui' });
  });

  it('fails as a provider would when the script says so', async () => {
    const model = ScriptedModel.fromJson({ replies: [{ reply: { error: 'rate_limited' } }] });
    const error = await model.generate(ask('hi')).catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error.code).toBe('rate_limited');
  });

  it('says which message it has no reply for', async () => {
    const model = ScriptedModel.fromJson({ replies: [{ when: { model: 'other' }, reply: { text: 'x' } }] });
    const error = await model.generate(ask('Where are you?')).catch((caught) => caught);
    // Its own class: a test runner stops on a gap in the script instead of taking a failure path.
    expect(error).toBeInstanceOf(UnscriptedRequest);
    expect(error.lastMessage).toBe('Where are you?');
    expect(error.message).toContain('The scripted model has no reply for the message “Where are you?”');
  });

  it('refuses a malformed script and says where', () => {
    expect(() => ScriptedModel.fromJson({ replies: [{ reply: { txt: 'typo' } }] }, 'model.json')).toThrow(
      /model\.json is not a valid model script: \/replies\/0\/reply/,
    );
  });
});
