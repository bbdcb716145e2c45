import { type Static, Type } from '@sinclair/typebox';
import equal from 'fast-deep-equal';

/**
 * A conversation test's parts (the `parley test` scenario format without its flow): who talks, what
 * they say, what the bot must answer and store. The runtime's `parley test` and the API's
 * conversation tests read the same schema and report differences in the same words.
 */
export const ExpectedMessage = Type.Object(
  {
    text: Type.String({
      maxLength: 4096,
      description: 'What the bot says (compared without surrounding spaces)',
    }),
    choices: Type.Optional(
      Type.Array(Type.String({ maxLength: 200 }), {
        maxItems: 100,
        description: 'The labels of its buttons or list rows, in order',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ExpectedMessage = Static<typeof ExpectedMessage>;

export const ScenarioTurn = Type.Object(
  {
    user: Type.String({
      maxLength: 4096,
      description: 'What the contact sends: text, or a `#media`, `#location` or `#wait` line',
    }),
    bot: Type.Array(ExpectedMessage, {
      maxItems: 50,
      description: 'What the bot answers; an empty list is silence',
    }),
  },
  { additionalProperties: false },
);
export type ScenarioTurn = Static<typeof ScenarioTurn>;

export const ScenarioResult = Type.Object(
  {
    status: Type.String({ maxLength: 40, description: 'The conversation’s status after the last turn' }),
    answers: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'The answers stored (none when absent)' }),
    ),
  },
  { additionalProperties: false },
);
export type ScenarioResult = Static<typeof ScenarioResult>;

export const ScenarioContact = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type ScenarioContact = Static<typeof ScenarioContact>;

function describeMessage(message: ExpectedMessage): string {
  return message.choices === undefined
    ? JSON.stringify(message.text)
    : `${JSON.stringify(message.text)} [${message.choices.join(' | ')}]`;
}

function sameMessage(expected: ExpectedMessage, actual: ExpectedMessage): boolean {
  if (expected.text.trim() !== actual.text.trim()) return false;
  return expected.choices === undefined || equal(expected.choices, actual.choices ?? []);
}

/** The difference between what a turn expected and what the bot said, as lines; none when they agree. */
export function compareTurn(
  index: number,
  user: string,
  expected: ExpectedMessage[],
  actual: ExpectedMessage[],
): string[] {
  const same =
    expected.length === actual.length &&
    expected.every((message, i) => sameMessage(message, actual[i] as ExpectedMessage));
  if (same) return [];
  return [
    `turn ${index + 1} (user: ${JSON.stringify(user)}):`,
    `  - expected: ${expected.length === 0 ? '(silence)' : expected.map(describeMessage).join(', ')}`,
    `  + actual:   ${actual.length === 0 ? '(silence)' : actual.map(describeMessage).join(', ')}`,
  ];
}

/** The difference between the expected and the actual end of the conversation, as lines. */
export function compareResult(
  expected: ScenarioResult,
  actual: { status: string; answers: Record<string, unknown> },
): string[] {
  const lines: string[] = [];
  if (actual.status !== expected.status) {
    lines.push(`status: expected ${expected.status}, got ${actual.status}`);
  }
  if (!equal(actual.answers, expected.answers ?? {})) {
    lines.push(
      `answers: expected ${JSON.stringify(expected.answers ?? {})}, got ${JSON.stringify(actual.answers)}`,
    );
  }
  return lines;
}
