import { describe, expect, it } from 'vitest';
import { MAX_MESSAGES_PER_TURN } from './message-cap.js';
import { validateFlow } from './validate-flow.js';

/** A trigger, `count` message nodes in a row, then a question and `after` more messages and an end. */
function chain(count: number, after = 0) {
  const ids = [
    ...Array.from({ length: count }, (_, n) => `m${n}`),
    'q',
    ...Array.from({ length: after }, (_, n) => `a${n}`),
    'end',
  ];
  const nodes = ids.map((id) => {
    if (id === 'q')
      return {
        id,
        type: 'question',
        config: { prompt: 'City?', variable: 'city', answer: { type: 'string' } },
      };
    if (id === 'end') return { id, type: 'end', config: {} };
    return { id, type: 'message', config: { text: `Message ${id}` } };
  });
  return {
    schemaVersion: 1,
    name: 'Long',
    triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: ids[0] }],
    nodes,
    edges: ids.slice(1).map((target, n) => ({
      id: `e${n}`,
      source: ids[n] as string,
      sourceHandle: 'next',
      target,
    })),
  };
}

const capWarnings = (doc: unknown) =>
  validateFlow(doc).warnings.filter((problem) => problem.message.includes('at once'));

describe('messages per turn', () => {
  it('warns in plain words when a trigger starts more messages than one turn sends', () => {
    expect(capWarnings(chain(MAX_MESSAGES_PER_TURN + 1))).toEqual([
      {
        pointer: '/triggers/0',
        severity: 'warning',
        message: `Trigger “t1” starts a path that sends more than 50 messages at once. Only 50 messages are sent in a row without waiting for the contact; then the conversation stops with the fallback text. Put a question between them, or send fewer messages.`,
      },
    ]);
  });

  it('counts the question’s prompt, and only up to it', () => {
    // 49 messages and the prompt are 50: allowed.
    expect(capWarnings(chain(MAX_MESSAGES_PER_TURN - 1))).toEqual([]);
    expect(capWarnings(chain(MAX_MESSAGES_PER_TURN))).toHaveLength(1);
  });

  it('warns at the question after which a path sends too many', () => {
    const doc = chain(1, MAX_MESSAGES_PER_TURN + 1);
    expect(capWarnings(doc)).toEqual([
      expect.objectContaining({
        pointer: '/nodes/1',
        message: expect.stringMatching(/^After Question “City\?”/),
      }),
    ]);
  });

  it('checks a 10,000-node flow quickly and without overflowing the stack', () => {
    const started = Date.now();
    expect(capWarnings(chain(9_990))).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
