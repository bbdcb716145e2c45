import { type QuestionConfig, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { ANSWER_KINDS, answerKindOf, applyAnswerKind, newChoice, withChoices } from './answer-kinds';

const base: QuestionConfig = {
  prompt: 'Q?',
  variable: 'v',
  answer: { type: 'string' },
  retry: { maxAttempts: 2 },
};

function flowWith(config: QuestionConfig) {
  return {
    schemaVersion: 1,
    name: 'f',
    triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
    nodes: [
      { id: 'n1', type: 'question', config },
      { id: 'n2', type: 'end', config: {} },
    ],
    edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
  };
}

describe('answer kinds', () => {
  it.each(ANSWER_KINDS.map((kind) => kind.id))(
    '%s gives a valid question that reads back as the same kind',
    (kind) => {
      const config = applyAnswerKind(base, kind);
      expect(answerKindOf(config)).toBe(kind);
      expect(validateFlow(flowWith(config)).errors).toEqual([]);
      expect(config.retry).toEqual({ maxAttempts: 2 });
    },
  );

  it('keeps choices when switching between single and multiple choice, and drops them otherwise', () => {
    const single = applyAnswerKind(base, 'single_choice');
    const multi = applyAnswerKind(single, 'multi_choice');
    expect(multi.choices).toEqual(single.choices);
    expect(multi.answer).toMatchObject({ type: 'array', items: { enum: ['option_1', 'option_2'] } });
    expect(applyAnswerKind(multi, 'email').choices).toBeUndefined();
  });

  it('keeps the answer schema listing exactly the choice values', () => {
    const single = applyAnswerKind(base, 'single_choice');
    const choices = [...single.choices!, newChoice(single.choices!, 'Option 1')];
    expect(choices[2]).toEqual({ id: 'c3', label: 'Option 1', value: 'option_1_2' });
    const next = withChoices(single, choices);
    expect(next.answer).toEqual({ type: 'string', enum: ['option_1', 'option_2', 'option_1_2'] });
    expect(validateFlow(flowWith(next)).errors).toEqual([]);
  });
});
