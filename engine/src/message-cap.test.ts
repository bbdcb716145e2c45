import { MAX_MESSAGES_PER_TURN } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { compileFlow } from './compile-flow.js';
import { initialState } from './state.js';
import { step } from './step.js';

/** One trigger and `count` messages in a row, then an end. */
function longFlow(count: number) {
  const ids = [...Array.from({ length: count }, (_, n) => `m${n}`), 'end'];
  return compileFlow({
    schemaVersion: 1,
    name: 'Long',
    settings: { fallbackText: 'Sorry, something went wrong.', maxStepsPerTurn: 10_000 },
    triggers: [{ id: 't1', type: 'any_message', target: 'm0' }],
    nodes: ids.map((id) =>
      id === 'end'
        ? { id, type: 'end', config: {} }
        : { id, type: 'message', config: { text: `Message ${id}` } },
    ),
    edges: ids.slice(1).map((target, n) => ({ id: `e${n}`, source: ids[n], sourceHandle: 'next', target })),
  });
}

describe('messages per turn', () => {
  it('stops a turn at the cap: the fallback text, the conversation failed, the reason logged', () => {
    const result = step(
      longFlow(9_999),
      initialState({ phone: '+15550100001' }),
      { type: 'message', id: 'in-1', text: 'hi' },
      Date.UTC(2025, 0, 1),
    );
    expect(result.outbound).toHaveLength(MAX_MESSAGES_PER_TURN + 1);
    expect(result.outbound.at(-2)?.text).toBe(`Message m${MAX_MESSAGES_PER_TURN - 1}`);
    expect(result.outbound.at(-1)).toMatchObject({ kind: 'fallback', text: 'Sorry, something went wrong.' });
    expect(result.state.conversation?.status).toBe('failed');
    expect(result.log).toContain(
      `conversation ${result.state.conversation?.id} failed: stopped at node m${MAX_MESSAGES_PER_TURN}: one turn may send at most ${MAX_MESSAGES_PER_TURN} messages`,
    );
  });

  it('lets a turn send exactly the cap', () => {
    const result = step(
      longFlow(MAX_MESSAGES_PER_TURN),
      initialState({ phone: '+15550100001' }),
      { type: 'message', id: 'in-1', text: 'hi' },
      Date.UTC(2025, 0, 1),
    );
    expect(result.outbound).toHaveLength(MAX_MESSAGES_PER_TURN);
    expect(result.state.conversation?.status).toBe('completed');
  });
});
