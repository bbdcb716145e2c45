import { type Static, Type } from '@sinclair/typebox';
import {
  CONDITION_OP_WORDS,
  type ConditionItem,
  ConditionItem as ConditionItemSchema,
  type ConditionRule,
} from '../../conditions/condition.schema.js';
import { asNumber, looselyEqual } from '../../conditions/evaluate.js';
import { patternProblem } from '../../patterns/author-pattern.js';
import { error, type Problem } from '../../validation/problem.js';
import { variableOfPath } from '../../values/path.js';
import { type AskedAnswer, defineNode, type NodeReferences } from '../node-definition.js';
import { RESERVED_HANDLES } from '../shared.js';

export const ConditionBranch = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.Optional(Type.String({ maxLength: 120 })),
    when: ConditionItemSchema,
  },
  { additionalProperties: false },
);

export const ConditionConfig = Type.Object(
  { branches: Type.Array(ConditionBranch, { minItems: 1 }) },
  { additionalProperties: false },
);
export type ConditionConfig = Static<typeof ConditionConfig>;

/** Every rule under an item, with its pointer relative to the item. */
function* rulesOf(item: ConditionItem, pointer: string): Generator<{ pointer: string; rule: ConditionItem }> {
  if ('all' in item) {
    for (const [index, child] of item.all.entries()) yield* rulesOf(child, `${pointer}/all/${index}`);
  } else if ('any' in item) {
    for (const [index, child] of item.any.entries()) yield* rulesOf(child, `${pointer}/any/${index}`);
  } else {
    yield { pointer, rule: item };
  }
}

const EMPTY_LIST = '“is one of” needs at least one value to compare with.';

function checkRule(rule: ConditionItem, pointer: string): Problem[] {
  if ('all' in rule || 'any' in rule) return [];
  const needsValue = rule.op !== 'is_set' && rule.op !== 'is_empty';
  if (needsValue && rule.value === undefined) {
    return [error(pointer, `“${CONDITION_OP_WORDS[rule.op]}” needs a value to compare with.`)];
  }
  if (rule.op === 'in' && !Array.isArray(rule.value)) {
    return [error(`${pointer}/value`, EMPTY_LIST)];
  }
  if (rule.op === 'matches') {
    if (typeof rule.value !== 'string')
      return [error(`${pointer}/value`, '“matches pattern” needs a pattern, written as text.')];
    const problem = patternProblem(rule.value, { ignoreCase: true });
    if (problem !== null) return [error(`${pointer}/value`, `This pattern can't be used: ${problem}`)];
  }
  return [];
}

const NUMBER_OPS = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);
const CHOICE_OPS = new Set(['eq', 'neq', 'in', 'contains']);

/** Why a rule on an asked variable can never work as written, in the admin's words; null when it can. */
function mismatch(rule: ConditionRule, asked: AskedAnswer): string | null {
  const { question, answer } = asked;
  const name = `“${question.ui?.label ?? question.prompt}”`;
  const outcome = rule.op === 'neq' ? 'always holds' : 'never matches';
  const values = rule.op === 'in' && Array.isArray(rule.value) ? rule.value : [rule.value];
  if (question.choices !== undefined && CHOICE_OPS.has(rule.op)) {
    for (const value of values) {
      if (question.choices.some((choice) => looselyEqual(choice.value, value))) continue;
      const byLabel = question.choices.find((choice) => looselyEqual(choice.label, value));
      if (byLabel !== undefined) {
        return `“${String(value)}” is how a choice of ${name} reads, but the answer is stored as “${byLabel.value}”, so this rule ${outcome}. Pick the choice from the list.`;
      }
      const labels = question.choices.map((choice) => `“${choice.label}”`).join(', ');
      return `“${String(value)}” is not one of the choices of ${name} (${labels}), so this rule ${outcome}.`;
    }
    return null;
  }
  if ((answer.type === 'number' || answer.type === 'integer') && NUMBER_OPS.has(rule.op)) {
    const text = values.find((value) => asNumber(value) === null);
    if (text !== undefined) {
      return `${name} stores a number, and “${String(text)}” is not one, so this rule ${outcome}.`;
    }
  }
  if (answer.type === 'boolean' && (rule.op === 'eq' || rule.op === 'neq')) {
    const other = values.find((value) => !looselyEqual(value, true) && !looselyEqual(value, false));
    if (other !== undefined) {
      return `${name} stores yes or no (true or false), not “${String(other)}”, so this rule ${outcome}.`;
    }
  }
  return null;
}

export const conditionNode = defineNode({
  type: 'condition',
  title: 'Condition',
  description: 'Takes the first branch whose rules hold, otherwise “else”.',
  category: 'logic',
  configSchema: ConditionConfig,
  settingsUi: {
    'ui:order': ['branches'],
    branches: {
      'ui:widget': 'own',
      'ui:title': 'Branches',
      'ui:help': 'Checked top to bottom.',
    },
  },
  defaults: () => ({ branches: [{ id: 'b1', when: { all: [{ var: 'answer', op: 'is_set' as const }] } }] }),
  handles: (config) => [
    ...config.branches.map((branch) => ({ id: branch.id, label: branch.label ?? branch.id })),
    { id: 'else', label: 'Else' },
  ],
  references: (config): NodeReferences => ({
    templates: [],
    reads: config.branches.flatMap((branch, index) =>
      Array.from(rulesOf(branch.when, `/branches/${index}/when`)).flatMap(({ pointer, rule }) =>
        'var' in rule ? [{ pointer: `${pointer}/var`, path: rule.var }] : [],
      ),
    ),
    defines: [],
  }),
  publishCheck: (config, ctx) =>
    config.branches.flatMap((branch, index) =>
      Array.from(rulesOf(branch.when, `${ctx.pointer}/config/branches/${index}/when`)).flatMap(
        ({ pointer, rule }) => {
          if (!('var' in rule)) return [];
          // An empty list runs (it never matches), so a stored flow keeps working; publishing waits.
          if (rule.op === 'in' && Array.isArray(rule.value) && rule.value.length === 0) {
            return [error(`${pointer}/value`, EMPTY_LIST)];
          }
          if (variableOfPath(rule.var) !== rule.var) return [];
          const asked = ctx.askedBy(rule.var);
          const reason = asked === undefined ? null : mismatch(rule, asked);
          return reason === null ? [] : [error(`${pointer}/value`, reason)];
        },
      ),
    ),
  check: (config, ctx) => {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    for (const [index, branch] of config.branches.entries()) {
      const pointer = `${ctx.pointer}/config/branches/${index}`;
      if (RESERVED_HANDLES.has(branch.id)) {
        problems.push(
          error(
            `${pointer}/id`,
            `Branch ${index + 1} is stored under a name the flow keeps for its own outcomes. Remove it and add the branch again.`,
          ),
        );
      } else if (seen.has(branch.id)) {
        problems.push(
          error(
            `${pointer}/id`,
            `Branch ${index + 1} is a copy that shares its identity with another branch. Remove it and add the branch again.`,
          ),
        );
      }
      seen.add(branch.id);
      for (const { pointer: rulePointer, rule } of rulesOf(branch.when, `${pointer}/when`)) {
        problems.push(...checkRule(rule, rulePointer));
      }
    }
    return problems;
  },
});
