import { describe, expect, it } from 'vitest';
import { answersByLabel, readableEndReason, stepName } from './transcript-names.js';

const definition = {
  nodes: [
    {
      id: 'n3',
      type: 'question',
      config: {
        prompt: 'Which service?',
        variable: 'service',
        answer: { type: 'string' },
        choices: [{ id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' }],
      },
    },
    { id: 'n30', type: 'end', config: {} },
  ],
};

describe('a transcript names blocks and choices as people do', () => {
  it('names the step a conversation is at, and nothing for a block its version lacks', () => {
    expect(stepName(definition, 'n3')).toBe('Question “Which service?”');
    expect(stepName(definition, 'gone')).toBeNull();
    expect(stepName(null, 'n3')).toBeNull();
  });

  it('writes choice answers by label and leaves the others', () => {
    expect(answersByLabel(definition, { service: 'cleaning', name: 'cleaning' })).toEqual({
      service: 'Cleaning & check-up',
      name: 'cleaning',
    });
  });

  it('names the blocks of the engine’s reasons, and no id that merely starts the same', () => {
    expect(readableEndReason(definition, 'no valid answer to n3 after 3 attempts')).toBe(
      'no valid answer to Question “Which service?” after 3 attempts',
    );
    expect(readableEndReason(definition, 'stopped at node n30: one turn may send at most 50 messages')).toBe(
      'stopped at End: one turn may send at most 50 messages',
    );
    expect(readableEndReason(definition, null)).toBeNull();
  });
});
