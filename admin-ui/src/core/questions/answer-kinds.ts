import type { Choice, QuestionConfig } from '@parley/schemas';
import { nextId, slugify } from '../ids';

/** What an admin picks as "Answer type": each maps to an answer schema, a widget and what is accepted. */
export const ANSWER_KINDS = [
  { id: 'text', label: 'Text' },
  { id: 'email', label: 'Email' },
  { id: 'phone', label: 'Phone number' },
  { id: 'number', label: 'Number' },
  { id: 'date', label: 'Date' },
  { id: 'single_choice', label: 'Single choice' },
  { id: 'multi_choice', label: 'Multiple choice' },
  { id: 'rating', label: 'Rating (1–5)' },
  { id: 'file', label: 'File or photo' },
  { id: 'location', label: 'Location' },
] as const;

export type AnswerKind = (typeof ANSWER_KINDS)[number]['id'];

type Answer = QuestionConfig['answer'] & Record<string, unknown>;

/** The kind a question's settings amount to (custom schemas fall back to the nearest kind). */
export function answerKindOf(config: QuestionConfig): AnswerKind {
  const answer = config.answer as Answer;
  if (config.accept === 'media') return 'file';
  if (config.accept === 'location') return 'location';
  if (config.choices !== undefined) return answer.type === 'array' ? 'multi_choice' : 'single_choice';
  if (config.ui?.widget === 'rating') return 'rating';
  if (answer.format === 'email') return 'email';
  if (answer.format === 'phone') return 'phone';
  if (answer.format === 'date') return 'date';
  if (answer.type === 'number' || answer.type === 'integer') return 'number';
  return 'text';
}

function choiceValues(choices: Choice[]): (string | number)[] {
  return choices.map((choice) => choice.value);
}

function enumSchema(choices: Choice[]): Answer {
  const values = choiceValues(choices);
  const allNumbers = values.every((value) => typeof value === 'number');
  return { type: allNumbers ? 'number' : 'string', enum: values } as Answer;
}

/** The answer schema that matches a choice question's current choices. */
export function choiceAnswer(kind: 'single_choice' | 'multi_choice', choices: Choice[]): Answer {
  const item = enumSchema(choices);
  return kind === 'multi_choice' ? ({ type: 'array', items: item, minItems: 1 } as Answer) : item;
}

const DEFAULT_CHOICES: Choice[] = [
  { id: 'c1', label: 'Option 1', value: 'Option 1' },
  { id: 'c2', label: 'Option 2', value: 'Option 2' },
];

const WIDGETS: Record<AnswerKind, NonNullable<QuestionConfig['ui']>['widget']> = {
  text: 'text',
  email: 'email',
  phone: 'phone',
  number: 'number',
  date: 'date',
  single_choice: 'radio',
  multi_choice: 'checkboxes',
  rating: 'rating',
  file: 'file',
  location: 'location',
};

/**
 * The question's settings for another kind of answer: the answer schema, what the question accepts,
 * its choices (kept when switching between the two choice kinds) and the form widget. Everything
 * else (prompt, variable, retry, labels) stays.
 */
export function applyAnswerKind(config: QuestionConfig, kind: AnswerKind): QuestionConfig {
  const { accept: _accept, choices: _choices, render: _render, answer: _answer, ...rest } = config;
  const ui = { ...(config.ui ?? {}), widget: WIDGETS[kind] };
  const base = { ...rest, ui } as QuestionConfig;
  switch (kind) {
    case 'text':
      return { ...base, answer: { type: 'string' } };
    case 'email':
      return { ...base, answer: { type: 'string', format: 'email' } as Answer };
    case 'phone':
      return { ...base, answer: { type: 'string', format: 'phone' } as Answer };
    case 'number':
      return { ...base, answer: { type: 'number' } };
    case 'date':
      return { ...base, answer: { type: 'string', format: 'date' } as Answer };
    case 'rating':
      return { ...base, answer: { type: 'integer', minimum: 1, maximum: 5 } as Answer };
    case 'file':
      return { ...base, accept: 'media', answer: { type: 'object' } };
    case 'location':
      return { ...base, accept: 'location', answer: { type: 'object' } };
    case 'single_choice':
    case 'multi_choice': {
      const choices = config.choices ?? DEFAULT_CHOICES;
      return {
        ...base,
        answer: choiceAnswer(kind, choices),
        choices,
        ...(config.render === undefined ? {} : { render: config.render }),
      };
    }
  }
}

/** After the choices changed: the answer schema lists exactly their values. */
export function withChoices(config: QuestionConfig, choices: Choice[]): QuestionConfig {
  const kind = config.answer.type === 'array' ? 'multi_choice' : 'single_choice';
  return { ...config, choices, answer: choiceAnswer(kind, choices) };
}

/**
 * A new choice for a list, with a fresh id, stored as its label (so answers, templates and exports
 * read as the contact saw them), numbered when another choice already stores that.
 */
export function newChoice(existing: Choice[], label: string): Choice {
  const id = nextId(
    'c',
    existing.map((choice) => choice.id),
  );
  const values = new Set(existing.map((choice) => String(choice.value)));
  let value = label;
  for (let n = 2; values.has(value); n++) value = `${label} (${n})`;
  return { id, label, value };
}

/**
 * A choice after its label changed: a value that followed the label (stored as the label, or as
 * its slug in older flows) follows it still; a value the admin wrote stays.
 */
export function relabelChoice(choice: Choice, label: string): Choice {
  if (String(choice.value) === choice.label) return { ...choice, label, value: label };
  if (String(choice.value) === slugify(choice.label)) return { ...choice, label, value: slugify(label) };
  return { ...choice, label };
}
