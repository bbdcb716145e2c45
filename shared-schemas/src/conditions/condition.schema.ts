import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { StringEnum } from '../nodes/string-enum.js';

export const CONDITION_OPS = [
  'eq',
  'neq',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'is_set',
  'is_empty',
  'matches',
] as const;

/** How each comparison reads to an admin, in the editor and in its messages. */
export const CONDITION_OP_WORDS: Record<(typeof CONDITION_OPS)[number], string> = {
  eq: 'is',
  neq: 'is not',
  contains: 'contains',
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  in: 'is one of',
  is_set: 'has a value',
  is_empty: 'is empty',
  matches: 'matches pattern',
};

export const ConditionOp = StringEnum(
  CONDITION_OPS,
  `Unknown comparison. Use one of: ${CONDITION_OPS.join(', ')}.`,
);

export const ConditionRule = Type.Object(
  {
    var: Type.String({ minLength: 1, description: 'Variable path to compare, e.g. plan or crm.body.id' }),
    op: ConditionOp,
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

const group = <T extends TSchema>(item: T) =>
  [
    Type.Object({ all: Type.Array(item, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ any: Type.Array(item, { minItems: 1 }) }, { additionalProperties: false }),
  ] as const;

/** The shape of a rule or a group of them, for the TypeScript type. */
const ConditionItemShape = Type.Recursive((This) => Type.Union([ConditionRule, ...group(This)]));

/** Groups may nest this deep (admins never need more; a bound keeps error reports exact). */
export const MAX_CONDITION_DEPTH = 5;

function itemSchema(depth: number): TSchema {
  return depth === 0 ? ConditionRule : Type.Union([ConditionRule, ...group(itemSchema(depth - 1))]);
}

/**
 * A rule, or a group of rules/groups joined by `all` (and) or `any` (or). Written out to a fixed
 * depth instead of a `$ref` loop so every validation error has an unambiguous schema path.
 */
export const ConditionItem = Type.Unsafe<Static<typeof ConditionItemShape>>(itemSchema(MAX_CONDITION_DEPTH));

export type ConditionRule = Static<typeof ConditionRule>;
export type ConditionItem = Static<typeof ConditionItem>;
export type ConditionOp = (typeof CONDITION_OPS)[number];
