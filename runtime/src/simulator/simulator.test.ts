import { ScriptedModel } from '@parley/ai';
import { compileFlow } from '@parley/engine';
import { describe, expect, it } from 'vitest';
import { turnLines } from './output.js';
import { parseScriptLine } from './script-line.js';
import { needsModelScript, SimulationError, Simulator } from './simulator.js';

const AI = { credentialId: 'scripted', model: 'test-model' };

function flow(nodes: unknown[], edges: [string, string, string][], target = nodes[0]) {
  return compileFlow({
    schemaVersion: 1,
    name: 'AI in the simulator',
    triggers: [{ id: 't1', type: 'any_message', target: (target as { id: string }).id }],
    nodes,
    edges: edges.map(([source, sourceHandle, to], index) => ({
      id: `e${index + 1}`,
      source,
      sourceHandle,
      target: to,
    })),
  });
}

const routeFlow = () =>
  flow(
    [
      {
        id: 'route',
        type: 'ai_classify',
        label: 'Sort',
        config: {
          ...AI,
          categories: [{ id: 'book', name: 'Booking', description: 'They want a visit' }],
          saveAs: 'topic',
        },
      },
      { id: 'yes', type: 'end', config: { text: 'Booking it.' } },
      { id: 'no', type: 'end', config: { text: 'Something else.' } },
    ],
    [
      ['route', 'book', 'yes'],
      ['route', 'else', 'no'],
    ],
  );

const say = async (simulator: Simulator, text: string) =>
  (await simulator.play(parseScriptLine(text))).messages.map((message) => message.text);

describe('the simulator with a scripted model', () => {
  it('answers each model call from the script and feeds the result back to the engine', async () => {
    const model = ScriptedModel.fromJson({
      replies: [
        { when: { lastMessageContains: 'visit' }, reply: { output: { category: 'Booking' } } },
        { reply: { output: { category: 'none of these' } } },
      ],
    });
    const simulator = new Simulator(routeFlow(), { model });
    expect(await say(simulator, 'Can I book a visit?')).toEqual(['Booking it.']);
    expect(simulator.result()).toMatchObject({ status: 'completed', variables: { topic: 'Booking' } });
    expect(await say(simulator, 'Where are you?')).toEqual(['Something else.']);
    // The model saw the contact's words and the block's instructions.
    expect(model.requests.map((request) => request.messages)).toEqual([
      [{ role: 'user', content: 'Can I book a visit?' }],
      [{ role: 'user', content: 'Where are you?' }],
    ]);
    expect(model.requests[0]?.system).toContain('- Booking: They want a visit');
  });

  it('stops at a request the script has no reply for, naming the block', async () => {
    const model = ScriptedModel.fromJson({ replies: [{ when: { model: 'another' }, reply: { text: 'x' } }] });
    const simulator = new Simulator(routeFlow(), { model });
    const error = await simulator.play(parseScriptLine('hello')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as Error).message).toBe(
      'AI route “Sort”: The scripted model has no reply for the message “hello”. Add an entry that matches it to the model script, or a fallback.',
    );
  });

  it('takes the failure path, with a note, when the script fails the call as a provider would', async () => {
    const model = ScriptedModel.fromJson({ replies: [{ reply: { error: 'timeout' } }] });
    const simulator = new Simulator(routeFlow(), { model });
    const turn = await simulator.play(parseScriptLine('hello'));
    expect(turn.messages.map((message) => message.text)).toEqual(['Something else.']);
    expect(turnLines(turn)).toEqual([
      { type: 'note', kind: 'ai_failed', text: expect.stringContaining('AI route “Sort” did not work.') },
      { type: 'message', text: 'Something else.' },
    ]);
  });

  it('gives an AI reply that remembers the conversation what was said before it', async () => {
    const model = ScriptedModel.fromJson({
      replies: [
        { when: { lastMessageContains: 'Ana' }, reply: { text: 'Hi Ana, which day?' } },
        {
          when: { lastMessageContains: 'Monday' },
          reply: { text: 'Booked for Monday.', toolCalls: [{ name: 'finish', arguments: {} }] },
        },
      ],
    });
    const simulator = new Simulator(
      flow(
        [
          {
            id: 'ask',
            type: 'question',
            config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string' } },
          },
          {
            id: 'talk',
            type: 'ai_reply',
            config: { ...AI, prompt: 'Be brief.', goal: 'Greeted.', memory: 'conversation' },
          },
          { id: 'bye', type: 'end', config: { text: 'Bye.' } },
        ],
        [
          ['ask', 'next', 'talk'],
          ['talk', 'done', 'bye'],
        ],
      ),
      { model },
    );
    expect(await say(simulator, 'hi')).toEqual(['Your name?']);
    expect(await say(simulator, 'Ana')).toEqual(['Hi Ana, which day?']);
    expect(await say(simulator, 'Monday')).toEqual(['Booked for Monday.', 'Bye.']);
    expect(model.requests[0]?.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Your name?' },
      { role: 'user', content: 'Ana' },
    ]);
    // The block's own turns come once: the transcript stops where the block's memory begins.
    expect(model.requests[1]?.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Your name?' },
      { role: 'user', content: 'Ana' },
      { role: 'assistant', content: 'Hi Ana, which day?' },
      { role: 'user', content: 'Monday' },
    ]);
  });

  it('says which AI blocks need a model script, and nothing for a flow without one', () => {
    expect(needsModelScript(routeFlow(), 'give one')).toBe(
      'The flow has an AI block (AI route “Sort”), which needs a model to answer; give one.',
    );
    const plain = flow([{ id: 'bye', type: 'end', config: { text: 'Bye.' } }], []);
    expect(needsModelScript(plain, 'give one')).toBeNull();
  });
});
