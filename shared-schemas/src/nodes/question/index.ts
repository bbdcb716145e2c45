import { type Static, Type } from '@sinclair/typebox';
import type { FieldUiSchema } from '../../form/derive-form.js';
import { compileAnswerSchema } from '../../validation/answer-validator.js';
import { error, type Problem, warning } from '../../validation/problem.js';
import { defineNode } from '../node-definition.js';
import { RESERVED_HANDLES, VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';
import { DateLimit, isCalendarDate, parseDateLimit } from './date-limit.js';

export const ANSWER_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;

/** A JSON Schema fragment for the answer; its `type` is required so exports and forms know the column. */
export const AnswerSchema = Type.Object(
  {
    type: StringEnum(ANSWER_TYPES, `Answer type must be one of: ${ANSWER_TYPES.join(', ')}.`),
  },
  { additionalProperties: true },
);

export const Choice = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    value: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Number()]),
  },
  { additionalProperties: false },
);
export type Choice = Static<typeof Choice>;

export const QUESTION_WIDGETS = [
  'text',
  'textarea',
  'email',
  'phone',
  'number',
  'rating',
  'date',
  'radio',
  'select',
  'checkboxes',
  'file',
  'location',
] as const;

export const QuestionConfig = Type.Object(
  {
    prompt: Type.String({ minLength: 1, maxLength: 4096 }),
    variable: VariableName,
    answer: AnswerSchema,
    accept: Type.Optional(StringEnum(['text', 'media', 'location'])),
    choices: Type.Optional(Type.Array(Choice, { minItems: 1, maxItems: 100 })),
    render: Type.Optional(StringEnum(['list', 'poll'])),
    retry: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
          message: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
        },
        { additionalProperties: false },
      ),
    ),
    skippable: Type.Optional(Type.Boolean()),
    /** For a date answer: the earliest and latest date accepted, counted in the flow's time zone. */
    earliest: Type.Optional(DateLimit),
    latest: Type.Optional(DateLimit),
    ui: Type.Optional(
      Type.Object(
        {
          widget: Type.Optional(StringEnum(QUESTION_WIDGETS)),
          label: Type.Optional(Type.String({ maxLength: 200 })),
          help: Type.Optional(Type.String({ maxLength: 1000 })),
          placeholder: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type QuestionConfig = Static<typeof QuestionConfig>;

/** A multi-choice question stores an array of choice values. */
/** A free-text question without rules: any text is an answer, so it never runs out of attempts on text. */
function acceptsAnyText(config: QuestionConfig): boolean {
  const { type, ...rules } = config.answer as { type: string } & Record<string, unknown>;
  return (
    type === 'string' &&
    (config.accept ?? 'text') === 'text' &&
    config.choices === undefined &&
    Object.keys(rules).every((key) => key === 'title' || key === 'description')
  );
}

export function isMultiChoice(config: QuestionConfig): boolean {
  return config.choices !== undefined && config.answer.type === 'array';
}

/** A question answered with a date written in a text (where earliest and latest apply). */
export function isDateQuestion(config: QuestionConfig): boolean {
  return (
    (config.accept ?? 'text') === 'text' &&
    config.choices === undefined &&
    (config.answer as { format?: unknown }).format === 'date'
  );
}

/** Earliest and latest: real dates, on a date question, in order. */
function checkDateLimits(config: QuestionConfig, pointer: string): Problem[] {
  const { earliest, latest } = config;
  if (earliest === undefined && latest === undefined) return [];
  const field = earliest === undefined ? 'latest' : 'earliest';
  if (!isDateQuestion(config)) {
    return [
      warning(
        `${pointer}/config/${field}`,
        'The earliest and latest dates only apply to a question whose answer is a date; they are ignored here. Make the answer a date, or clear them.',
      ),
    ];
  }
  const problems: Problem[] = [];
  for (const [name, limit] of [
    ['earliest', earliest],
    ['latest', latest],
  ] as const) {
    const parsed = limit === undefined ? undefined : parseDateLimit(limit);
    if (parsed?.kind === 'fixed' && !isCalendarDate(parsed.date)) {
      problems.push(
        error(
          `${pointer}/config/${name}`,
          `“${parsed.date}” is not a real date. Write it as year-month-day, such as 2026-07-14.`,
        ),
      );
    }
  }
  if (problems.length > 0 || earliest === undefined || latest === undefined) return problems;
  const from = parseDateLimit(earliest);
  const to = parseDateLimit(latest);
  // A fixed date against a relative one depends on the day of the reply, so only like limits compare.
  const inverted =
    (from.kind === 'fixed' && to.kind === 'fixed' && from.date > to.date) ||
    (from.kind === 'relative' && to.kind === 'relative' && from.days > to.days);
  return inverted
    ? [
        error(
          `${pointer}/config/earliest`,
          'The earliest date is after the latest date, so no date could be accepted. Swap them or change one.',
        ),
      ]
    : [];
}
/** What a question that accepts more than text takes, and the answer type the editor names for it. */
const TAKES = { media: 'a file or photo', location: 'a location' } as const;
const KIND = { media: 'File or photo', location: 'Location' } as const;

function checkChoices(config: QuestionConfig, pointer: string): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const validate = compileAnswerSchema(config.answer);
  for (const [index, choice] of (config.choices ?? []).entries()) {
    const at = `${pointer}/config/choices/${index}`;
    if (RESERVED_HANDLES.has(choice.id)) {
      problems.push(
        error(
          `${at}/id`,
          `Choice “${choice.label}” is stored under a name the flow keeps for its own outcomes. Remove it and add the choice again.`,
        ),
      );
    } else if (ids.has(choice.id)) {
      problems.push(
        error(
          `${at}/id`,
          `Choice “${choice.label}” is a copy that shares its identity with another choice. Remove it and add the choice again.`,
        ),
      );
    }
    ids.add(choice.id);
    const stored = isMultiChoice(config) ? [choice.value] : choice.value;
    if (validate.ok && !validate.validate(stored)) {
      problems.push(error(`${at}/value`, `The answer settings do not accept the value “${choice.value}”.`));
    }
  }
  return problems;
}

/** The widget a question gets in the form when the author did not pick one. */
function defaultWidget(config: QuestionConfig): string {
  if (config.accept === 'media') return 'file';
  if (config.accept === 'location') return 'location';
  if (config.choices !== undefined) return isMultiChoice(config) ? 'checkboxes' : 'radio';
  const format = (config.answer as { format?: unknown }).format;
  if (format === 'email') return 'email';
  if (format === 'phone') return 'phone';
  if (format === 'date') return 'date';
  if (config.answer.type === 'number' || config.answer.type === 'integer') return 'number';
  return 'text';
}

function fieldUi(config: QuestionConfig): FieldUiSchema {
  const ui = config.ui ?? {};
  return {
    'ui:widget': ui.widget ?? defaultWidget(config),
    'ui:title': ui.label ?? config.prompt,
    ...(ui.help === undefined ? {} : { 'ui:help': ui.help }),
    ...(ui.placeholder === undefined ? {} : { 'ui:placeholder': ui.placeholder }),
    ...(config.choices === undefined
      ? {}
      : { 'ui:options': { choices: config.choices.map(({ label, value }) => ({ label, value })) } }),
  };
}

export const questionNode = defineNode({
  type: 'question',
  title: 'Question',
  description: 'Asks something and waits for a valid answer, stored in a variable.',
  category: 'ask',
  configSchema: QuestionConfig,
  settingsUi: {
    'ui:order': [
      'prompt',
      'variable',
      'answer',
      'earliest',
      'latest',
      'choices',
      'render',
      'accept',
      'retry',
      'skippable',
      'ui',
    ],
    prompt: { 'ui:widget': 'textarea', 'ui:title': 'Question', 'ui:placeholder': 'What is your email?' },
    variable: {
      'ui:title': 'Save answer as',
      'ui:help': 'The column name in exports; reuse it later as {{name}}.',
      'ui:placeholder': 'email',
    },
    answer: { 'ui:widget': 'own', 'ui:title': 'Answer type' },
    earliest: {
      'ui:title': 'Earliest date',
      'ui:help':
        'For a date answer: today, today+1 for tomorrow, or a date such as 2026-07-14. Leave empty for no limit.',
      'ui:placeholder': 'today',
    },
    latest: {
      'ui:title': 'Latest date',
      'ui:help': 'For a date answer: today, today+30 for a month ahead, or a date such as 2026-12-31.',
      'ui:placeholder': 'today+30',
    },
    choices: { 'ui:widget': 'own', 'ui:title': 'Choices' },
    render: {
      'ui:widget': 'select',
      'ui:title': 'Show choices as',
      'ui:help': 'A numbered list, or a WhatsApp poll.',
    },
    accept: { 'ui:widget': 'select', 'ui:title': 'Accepts' },
    retry: { 'ui:title': 'When the answer is not valid' },
    skippable: {
      'ui:widget': 'checkbox',
      'ui:title': 'Can be skipped',
      'ui:help': 'Users may reply “skip”.',
    },
    ui: { 'ui:title': 'Form preview' },
  },
  defaults: () => ({ prompt: 'What is your name?', variable: 'name', answer: { type: 'string' as const } }),
  freshDefaults: (defined) => {
    let variable = 'name';
    for (let n = 2; defined.has(variable); n += 1) variable = `answer_${n}`;
    return {
      prompt: variable === 'name' ? 'What is your name?' : 'Your question?',
      variable,
      answer: { type: 'string' as const },
    };
  },
  handles: (config) => [
    { id: 'next', label: 'Next' },
    ...(config.choices !== undefined && !isMultiChoice(config)
      ? config.choices.map((choice) => ({ id: choice.id, label: choice.label }))
      : []),
    { id: 'invalid', label: 'Invalid' },
  ],
  references: (config) => ({
    templates: [
      { pointer: '/prompt', text: config.prompt },
      ...(config.retry?.message === undefined
        ? []
        : [{ pointer: '/retry/message', text: config.retry.message }]),
    ],
    reads: [],
    defines: [config.variable],
  }),
  stops: 'wait',
  sends: () => 1,
  asks: (config) => ({
    variable: config.variable,
    answer: config.answer,
    field: fieldUi(config),
    question: config,
  }),
  summary: (config) => config.ui?.label ?? config.prompt,
  unsetOn: (config) => ({
    invalid: [config.variable],
    ...(config.skippable === true ? { next: [config.variable] } : {}),
  }),
  unconnected: (config) => ({
    invalid: acceptsAnyText(config)
      ? undefined
      : `After ${config.retry?.maxAttempts ?? 3} wrong answers the conversation ends with the fallback message (“Sorry, something went wrong.” unless the flow sets another). Connect “Invalid” to decide what happens instead.`,
  }),
  check: (config, ctx) => {
    const compiled = compileAnswerSchema(config.answer);
    if (!compiled.ok) {
      return [
        error(
          `${ctx.pointer}/config/answer${compiled.pointer}`,
          `The answer settings are not valid: ${compiled.message}`,
        ),
      ];
    }
    const problems = checkChoices(config, ctx.pointer);
    const accept = config.accept ?? 'text';
    if (accept !== 'text' && config.choices !== undefined) {
      problems.push(
        error(
          `${ctx.pointer}/config/choices`,
          `A question that takes ${TAKES[accept]} cannot have choices. Pick “${KIND[accept]}” as its answer type again.`,
        ),
      );
    }
    if (accept !== 'text' && config.answer.type !== 'object') {
      problems.push(
        error(
          `${ctx.pointer}/config/answer/type`,
          `A question that takes ${TAKES[accept]} saves it whole. Pick “${KIND[accept]}” as its answer type again.`,
        ),
      );
    }
    if (config.render === 'poll' && config.choices === undefined) {
      problems.push(error(`${ctx.pointer}/config/render`, 'A poll needs choices.'));
    }
    problems.push(...checkDateLimits(config, ctx.pointer));
    return problems;
  },
});
