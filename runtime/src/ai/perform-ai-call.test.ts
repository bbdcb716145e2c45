import { type ModelScript, ScriptedModel } from '@parley/ai';
import type { AiTurn } from '@parley/engine';
import { describe, expect, it } from 'vitest';
import { type AiCall, type AiCallDeps, performAiCall } from './perform-ai-call.js';

const REPLY: AiCall = {
  purpose: 'reply',
  credentialId: 'c1',
  model: 'gpt-4o-mini',
  system: 'You book visits.',
  messages: [{ role: 'user', text: 'Hi, I want a cleaning' }],
  saveVariables: [{ name: 'service', description: 'What the visit is for' }],
  tools: [
    {
      name: 'free_slots',
      description: 'Free times on a day',
      method: 'GET',
      url: 'https://clinic.example/slots',
      parameters: {
        type: 'object',
        properties: { date: { type: 'string', description: 'YYYY-MM-DD' } },
        required: ['date'],
        additionalProperties: false,
      },
    },
  ],
  maxOutputTokens: 500,
  timeoutMs: 10_000,
};

/** Tools are web requests: these tests cover calls that must never reach one. */
function deps(script: ModelScript, extra: Partial<AiCallDeps> = {}): AiCallDeps & { model: ScriptedModel } {
  const model = new ScriptedModel(script);
  return {
    model,
    gateway: model,
    provider: { kind: 'openai' },
    runTool: () => Promise.reject(new Error('no web request was expected')),
    ...extra,
  };
}

describe('performAiCall: replies', () => {
  it('hands back what the model says, with the tokens it used', async () => {
    const outcome = await performAiCall(
      REPLY,
      deps({
        replies: [{ reply: { text: 'Sure! Which day?', usage: { inputTokens: 30, outputTokens: 5 } } }],
      }),
    );
    expect(outcome).toEqual({
      ok: true,
      text: 'Sure! Which day?',
      toolCalls: [],
      usage: { inputTokens: 30, outputTokens: 5 },
    });
  });

  it('leaves by done or handoff when the model calls finish or handoff', async () => {
    const done = await performAiCall(
      REPLY,
      deps({
        replies: [{ reply: { text: 'See you Monday!', toolCalls: [{ name: 'finish', arguments: {} }] } }],
      }),
    );
    expect(done).toMatchObject({ ok: true, text: 'See you Monday!', finish: 'done' });
    const person = await performAiCall(
      REPLY,
      deps({ replies: [{ reply: { toolCalls: [{ name: 'handoff', arguments: { reason: 'angry' } }] } }] }),
    );
    expect(person).toMatchObject({
      ok: true,
      finish: 'handoff',
      toolCalls: [{ name: 'handoff', arguments: { reason: 'angry' } }],
    });
  });

  it('saves only the variables the block declares, and refuses the rest', async () => {
    const outcome = await performAiCall(
      REPLY,
      deps({
        replies: [
          {
            when: { tool: 'save_variables' },
            times: 1,
            reply: {
              toolCalls: [{ name: 'save_variables', arguments: { service: 'cleaning', admin: 'yes' } }],
            },
          },
          { reply: { text: 'Noted: a cleaning.' } },
        ],
      }),
    );
    expect(outcome).toMatchObject({ ok: true, text: 'Noted: a cleaning.', saved: { service: 'cleaning' } });
    expect(outcome.toolCalls[0]?.refused).toBe('“admin” is not a variable this block saves');
  });

  it('refuses a call of an unknown tool or with wrong arguments without making any request', async () => {
    const model = deps({
      replies: [
        {
          times: 1,
          reply: {
            toolCalls: [
              { name: 'delete_everything', arguments: {} },
              { name: 'free_slots', arguments: { date: 20261207 } },
            ],
          },
        },
        { reply: { text: 'Sorry, I cannot check that right now.' } },
      ],
    });
    const outcome = await performAiCall(REPLY, model);
    expect(outcome.ok).toBe(true);
    expect(outcome.toolCalls.map((call) => call.refused)).toEqual([
      'there is no tool called “delete_everything”',
      "its arguments do not match the tool's parameters (date): must be text",
    ]);
    // The model was told, so it could answer the contact instead.
    const second = model.model.requests[1];
    expect(JSON.stringify(second?.messages.at(-1))).toContain('refused');
  });

  it('gives up, as a failure in words, when the model only ever calls tools', async () => {
    const outcome = await performAiCall(
      REPLY,
      deps({
        replies: [{ reply: { toolCalls: [{ name: 'save_variables', arguments: { service: 'x' } }] } }],
      }),
    );
    expect(outcome).toMatchObject({ ok: false, code: 'bad_answer' });
    expect(outcome.ok === false && outcome.error).toMatch(/kept calling tools \(5 rounds\)/);
  });

  it('turns a provider’s failure into an outcome with its code', async () => {
    const outcome = await performAiCall(REPLY, deps({ replies: [{ reply: { error: 'rate_limited' } }] }));
    expect(outcome).toMatchObject({ ok: false, code: 'rate_limited', toolCalls: [] });
  });

  it('puts the earlier conversation first, without repeating the message the block starts with', async () => {
    const transcript: AiTurn[] = [
      { role: 'assistant', text: 'Welcome to the clinic! What can I do for you?' },
      { role: 'user', text: 'Hi, I want a cleaning' },
    ];
    const asked: (number | undefined)[] = [];
    const model = deps(
      { replies: [{ reply: { text: 'Which day?' } }] },
      {
        transcript: async (until) => {
          asked.push(until);
          return { turns: transcript, until: 42 };
        },
      },
    );
    const first = await performAiCall({ ...REPLY, transcript: true }, model);
    expect(model.model.requests[0]?.messages).toEqual([
      { role: 'assistant', content: 'Welcome to the clinic! What can I do for you?' },
      { role: 'user', content: 'Hi, I want a cleaning' },
    ]);
    // The first call says where its transcript ended; a later call asks for no more than that.
    expect(first).toMatchObject({ ok: true, transcriptUntil: 42 });
    await performAiCall({ ...REPLY, transcript: true, transcriptUntil: 42 }, model);
    expect(asked).toEqual([undefined, 42]);
  });

  it('shows the model its own earlier tool calls and their answers', async () => {
    const model = deps({ replies: [{ reply: { text: 'Monday at 10 it is.' } }] });
    await performAiCall(
      {
        ...REPLY,
        messages: [
          { role: 'user', text: 'Monday?' },
          {
            role: 'assistant',
            text: 'Monday has 10:00 free.',
            toolCalls: [
              {
                id: 'call_1',
                name: 'free_slots',
                arguments: { date: '2026-12-07' },
                status: 200,
                result: ['10:00'],
              },
            ],
          },
          { role: 'user', text: 'Yes please' },
        ],
      },
      model,
    );
    expect(model.model.requests[0]?.messages).toEqual([
      { role: 'user', content: 'Monday?' },
      {
        role: 'assistant',
        content: 'Monday has 10:00 free.',
        toolCalls: [{ id: 'call_1', name: 'free_slots', arguments: { date: '2026-12-07' } }],
      },
      { role: 'tool', results: [{ id: 'call_1', name: 'free_slots', output: ['10:00'] }] },
      { role: 'user', content: 'Yes please' },
    ]);
  });
});

describe('performAiCall: structured answers', () => {
  const EXTRACT: AiCall = {
    purpose: 'extract',
    credentialId: 'c1',
    model: 'gpt-4o-mini',
    system: 'Fill in the fields.',
    messages: [{ role: 'user', text: "I'm Ana, can I come next Monday for a cleaning?" }],
    output: {
      schema: {
        type: 'object',
        properties: {
          name: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] },
          day: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] },
          service: { anyOf: [{ type: 'string', enum: ['cleaning', 'check-up'] }, { type: 'null' }] },
          email: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
        },
        required: ['name', 'day', 'service', 'email'],
        additionalProperties: false,
      },
    },
    maxOutputTokens: 500,
    timeoutMs: 10_000,
  };

  it('keeps each value that meets its schema and refuses the others, in words', async () => {
    const outcome = await performAiCall(
      EXTRACT,
      deps({
        replies: [
          {
            reply: {
              output: {
                name: 'Ana',
                day: 'next Monday',
                service: 'Cleaning ',
                email: null,
                extra: 'ignored',
              },
            },
          },
        ],
      }),
    );
    expect(outcome).toMatchObject({
      ok: true,
      output: { name: 'Ana', service: 'cleaning' },
      refused: { day: expect.stringContaining('the model gave “next Monday”') },
    });
    expect(outcome.ok && outcome.output).not.toHaveProperty('extra');
  });
});
