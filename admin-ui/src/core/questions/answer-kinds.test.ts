import { type QuestionConfig, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_KINDS,
  answerKindOf,
  applyAnswerKind,
  newChoice,
  relabelChoice,
  withChoices,
} from './answer-kinds';

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
    expect(multi.answer).toMatchObject({ type: 'array', items: { enum: ['Option 1', 'Option 2'] } });
    expect(applyAnswerKind(multi, 'email').choices).toBeUndefined();
  });

  it('keeps the answer schema listing exactly the choice values', () => {
    const single = applyAnswerKind(base, 'single_choice');
    const choices = [...single.choices!, newChoice(single.choices!, 'Option 1')];
    expect(choices[2]).toEqual({ id: 'c3', label: 'Option 1', value: 'Option 1 (2)' });
    const next = withChoices(single, choices);
    expect(next.answer).toEqual({ type: 'string', enum: ['Option 1', 'Option 2', 'Option 1 (2)'] });
    expect(validateFlow(flowWith(next)).errors).toEqual([]);
  });

  it('stores a new choice as its label, and keeps a value that follows its label following it', () => {
    const fresh = newChoice([], 'Cleaning & check-up');
    expect(fresh.value).toBe('Cleaning & check-up');
    expect(relabelChoice(fresh, 'Cleaning')).toMatchObject({ label: 'Cleaning', value: 'Cleaning' });
    // Flows made before kept a slug; it follows the label as a slug, as it did.
    const older = { id: 'c1', label: 'Pro plan', value: 'pro_plan' };
    expect(relabelChoice(older, 'Premium plan')).toEqual({
      id: 'c1',
      label: 'Premium plan',
      value: 'premium_plan',
    });
    // A value the admin wrote stays.
    const own = { id: 'c2', label: 'Basic', value: 'B1' };
    expect(relabelChoice(own, 'Basic plan')).toEqual({ id: 'c2', label: 'Basic plan', value: 'B1' });
  });
});
