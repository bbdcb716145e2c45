import { describe, expect, it } from 'vitest';
import type { ValueScope } from '../values/path.js';
import type { ConditionItem, ConditionOp } from './condition.schema.js';
import { CONDITION_OPS } from './condition.schema.js';
import { evaluateCondition, evaluateRule, looselyEqual } from './evaluate.js';

function scopeWith(variables: Record<string, unknown>): ValueScope {
  return { variables, contact: { name: 'Ana', phone: '+15550100001' }, flow: { name: 'Lead intake' } };
}

/** Evaluates `v <op> value` with `v` set to `actual` (left unset when actual is undefined). */
function holds(actual: unknown, op: ConditionOp, value?: unknown): boolean {
  const variables = actual === undefined ? {} : { v: actual };
  return evaluateRule({ var: 'v', op, ...(value === undefined ? {} : { value }) }, scopeWith(variables));
}

describe('eq and neq', () => {
  it.each([
    [10, 10],
    ['10', 10],
    [10, '10'],
    ['1.0', '1'],
    [' 7 ', 7],
    [-2.5, '-2.50'],
  ])('compares %j and %j numerically', (actual, value) => {
    expect(holds(actual, 'eq', value)).toBe(true);
    expect(holds(actual, 'neq', value)).toBe(false);
  });

  it.each([
    ['Pro', 'pro'],
    ['PRO', 'Pro'],
    ['São Paulo', 'SÃO PAULO'],
    [true, 'TRUE'],
  ])('compares %j and %j as case-insensitive text', (actual, value) => {
    expect(holds(actual, 'eq', value)).toBe(true);
    expect(holds(actual, 'neq', value)).toBe(false);
  });

  it('tells different values apart', () => {
    expect(holds('pro', 'eq', 'basic')).toBe(false);
    expect(holds('pro', 'neq', 'basic')).toBe(true);
    expect(holds(10, 'eq', 11)).toBe(false);
    expect(holds('10', 'eq', '10.5')).toBe(false);
    expect(holds('10', 'eq', 'ten')).toBe(false);
    expect(holds('', 'eq', 0)).toBe(false);
  });

  it('exposes the same equality as looselyEqual', () => {
    expect(looselyEqual('3', 3)).toBe(true);
    expect(looselyEqual('Yes', 'yes')).toBe(true);
    expect(looselyEqual('3', 'three')).toBe(false);
  });
});

describe('contains', () => {
  it('is a case-insensitive substring test on text', () => {
    expect(holds('Hello World', 'contains', 'WORLD')).toBe(true);
    expect(holds('Hello World', 'contains', 'lo w')).toBe(true);
    expect(holds('Hello', 'contains', 'bye')).toBe(false);
    expect(holds('Room 42', 'contains', 42)).toBe(true);
  });

  it('is membership on arrays, with the eq comparison', () => {
    expect(holds(['cheese', 'Ham'], 'contains', 'ham')).toBe(true);
    expect(holds([1, 2, 3], 'contains', '2')).toBe(true);
    expect(holds(['cheese', 'ham'], 'contains', 'he')).toBe(false);
    expect(holds([], 'contains', 'x')).toBe(false);
  });

  it('does not hold on other values', () => {
    expect(holds(42, 'contains', '4')).toBe(false);
    expect(holds({ a: 'x' }, 'contains', 'x')).toBe(false);
  });
});

describe('in', () => {
  it('holds when the value is in the list', () => {
    expect(holds('pro', 'in', ['basic', 'PRO'])).toBe(true);
    expect(holds('3', 'in', [1, 2, 3])).toBe(true);
    expect(holds(3, 'in', ['3.0'])).toBe(true);
    expect(holds('gold', 'in', ['basic', 'pro'])).toBe(false);
    expect(holds('pro', 'in', [])).toBe(false);
  });

  it('holds for an array variable when any item is in the list', () => {
    expect(holds(['olives', 'Ham'], 'in', ['ham', 'cheese'])).toBe(true);
    expect(holds(['olives'], 'in', ['ham', 'cheese'])).toBe(false);
    expect(holds([], 'in', ['ham'])).toBe(false);
  });

  it('does not hold when the value to compare with is not a list', () => {
    expect(holds('pro', 'in', 'pro')).toBe(false);
    expect(holds('pro', 'in', { pro: true })).toBe(false);
  });
});

describe('gt, gte, lt, lte', () => {
  it('compare numbers and numeric strings', () => {
    expect(holds(10, 'gt', 9)).toBe(true);
    expect(holds('10', 'gt', '9')).toBe(true); // numerically, not as text
    expect(holds(9, 'gt', 9)).toBe(false);
    expect(holds(9, 'gte', '9')).toBe(true);
    expect(holds('8.5', 'gte', 9)).toBe(false);
    expect(holds(-1, 'lt', 0)).toBe(true);
    expect(holds('0.5', 'lt', '.6')).toBe(true);
    expect(holds(4, 'lt', 4)).toBe(false);
    expect(holds('4', 'lte', 4)).toBe(true);
    expect(holds(5, 'lte', 4)).toBe(false);
  });

  it.each(['gt', 'gte', 'lt', 'lte'] as const)('%s is false when a side is not numeric', (op) => {
    expect(holds('abc', op, 1)).toBe(false);
    expect(holds(1, op, 'abc')).toBe(false);
    expect(holds('', op, 0)).toBe(false);
    expect(holds([1], op, 0)).toBe(false);
    expect(holds(true, op, 0)).toBe(false);
    expect(holds(5, op)).toBe(false);
  });
});

describe('is_set and is_empty', () => {
  it.each([
    ['text', 'x', true],
    ['zero', 0, true],
    ['false', false, true],
    ['a list', [1], true],
    ['an object', {}, true],
    ['empty text', '', false],
    ['an empty list', [], false],
    ['null', null, false],
    ['missing', undefined, false],
  ])('%s: is_set %s', (_label, actual, set) => {
    expect(holds(actual, 'is_set')).toBe(set);
    expect(holds(actual, 'is_empty')).toBe(!set);
  });
});

describe('matches', () => {
  it('is a case-insensitive regular-expression search', () => {
    expect(holds('Hello World', 'matches', '^hello')).toBe(true);
    expect(holds('Order #1234', 'matches', '\\d{4}')).toBe(true);
    expect(holds('Order #12', 'matches', '\\d{4}')).toBe(false);
    expect(holds('abc', 'matches', '^b')).toBe(false);
    expect(holds(2024, 'matches', '^20')).toBe(true);
  });

  it('does not hold (nor throw) on an invalid or non-text pattern', () => {
    expect(holds('abc', 'matches', '(')).toBe(false);
    expect(holds('abc', 'matches', 5)).toBe(false);
  });
});

describe('a missing variable', () => {
  it.each(CONDITION_OPS.filter((op) => op !== 'is_empty'))('makes %s false', (op) => {
    const values: unknown[] = ['', 'x', 0, [''], ['x'], '.*'];
    for (const value of values) expect(holds(undefined, op, value)).toBe(false);
  });

  it('makes is_empty true', () => {
    expect(holds(undefined, 'is_empty')).toBe(true);
  });

  it('includes a missing path into an object', () => {
    const scope = scopeWith({ crm: { body: {} } });
    expect(evaluateRule({ var: 'crm.body.id', op: 'neq', value: 'x' }, scope)).toBe(false);
    expect(evaluateRule({ var: 'crm.body.id', op: 'is_empty' }, scope)).toBe(true);
  });
});

describe('paths', () => {
  it('reads nested variables, contact and flow', () => {
    const scope = scopeWith({ crm: { body: { tier: 'Gold', items: [{ n: 2 }] } } });
    const rule = (path: string, op: ConditionOp, value?: unknown) =>
      evaluateRule({ var: path, op, ...(value === undefined ? {} : { value }) }, scope);
    expect(rule('crm.body.tier', 'eq', 'gold')).toBe(true);
    expect(rule('crm.body.items.0.n', 'gt', 1)).toBe(true);
    expect(rule('contact.name', 'eq', 'ana')).toBe(true);
    expect(rule('contact.phone', 'matches', '^\\+1')).toBe(true);
    expect(rule('flow.name', 'contains', 'lead')).toBe(true);
  });
});

describe('evaluateCondition', () => {
  const scope = scopeWith({ plan: 'pro', qty: '12', country: 'BR' });
  const rule = (v: string, op: ConditionOp, value?: unknown): ConditionItem => ({
    var: v,
    op,
    ...(value === undefined ? {} : { value }),
  });
  const yes = rule('plan', 'eq', 'pro');
  const no = rule('plan', 'eq', 'basic');

  it('all holds when every item holds', () => {
    expect(evaluateCondition({ all: [yes, yes] }, scope)).toBe(true);
    expect(evaluateCondition({ all: [yes, no] }, scope)).toBe(false);
  });

  it('any holds when one item holds', () => {
    expect(evaluateCondition({ any: [no, yes] }, scope)).toBe(true);
    expect(evaluateCondition({ any: [no, no] }, scope)).toBe(false);
  });

  it('evaluates nested groups', () => {
    const bigProInBrazil: ConditionItem = {
      all: [
        { any: [rule('plan', 'eq', 'pro'), rule('plan', 'eq', 'enterprise')] },
        { all: [rule('qty', 'gte', 10), { any: [rule('country', 'in', ['br', 'pt']), no] }] },
      ],
    };
    expect(evaluateCondition(bigProInBrazil, scope)).toBe(true);
    expect(evaluateCondition(bigProInBrazil, scopeWith({ plan: 'pro', qty: '9', country: 'BR' }))).toBe(
      false,
    );
    expect(evaluateCondition(bigProInBrazil, scopeWith({ plan: 'pro', qty: 12, country: 'US' }))).toBe(false);
    expect(evaluateCondition(bigProInBrazil, scopeWith({ plan: 'Enterprise', qty: 10, country: 'pt' }))).toBe(
      true,
    );
  });

  it('evaluates a bare rule', () => {
    expect(evaluateCondition(yes, scope)).toBe(true);
    expect(evaluateCondition(no, scope)).toBe(false);
  });
});
