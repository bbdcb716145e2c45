import { searchPattern } from '../patterns/author-pattern.js';
import { resolveValue, type ValueScope } from '../values/path.js';
import type { ConditionItem, ConditionRule } from './condition.schema.js';

const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$/;

/** A number, or a string that reads as one; null otherwise. */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return null;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value.toLowerCase();
  if (value === null || value === undefined) return '';
  return (typeof value === 'object' ? JSON.stringify(value) : String(value)).toLowerCase();
}

/** Equality as admins expect it: numeric when both sides are numbers, else case-insensitive text. */
export function looselyEqual(left: unknown, right: unknown): boolean {
  const a = asNumber(left);
  const b = asNumber(right);
  if (a !== null && b !== null) return a === b;
  return asText(left) === asText(right);
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(Array.isArray(value) && value.length === 0);
}

function compareNumbers(left: unknown, right: unknown, test: (a: number, b: number) => boolean): boolean {
  const a = asNumber(left);
  const b = asNumber(right);
  return a !== null && b !== null && test(a, b);
}

function matchesRegex(value: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  return searchPattern(pattern, typeof value === 'string' ? value : asText(value), { ignoreCase: true });
}

export function evaluateRule(rule: ConditionRule, scope: ValueScope): boolean {
  const value = resolveValue(scope, rule.var);
  if (rule.op === 'is_empty') return !isSet(value);
  if (value === undefined) return false;
  const expected = rule.value;
  switch (rule.op) {
    case 'is_set':
      return isSet(value);
    case 'eq':
      return looselyEqual(value, expected);
    case 'neq':
      return !looselyEqual(value, expected);
    case 'contains':
      if (Array.isArray(value)) return value.some((item) => looselyEqual(item, expected));
      return typeof value === 'string' && value.toLowerCase().includes(asText(expected));
    case 'in': {
      if (!Array.isArray(expected)) return false;
      const candidates = Array.isArray(value) ? value : [value];
      return candidates.some((item) => expected.some((option) => looselyEqual(item, option)));
    }
    case 'gt':
      return compareNumbers(value, expected, (a, b) => a > b);
    case 'gte':
      return compareNumbers(value, expected, (a, b) => a >= b);
    case 'lt':
      return compareNumbers(value, expected, (a, b) => a < b);
    case 'lte':
      return compareNumbers(value, expected, (a, b) => a <= b);
    case 'matches':
      return matchesRegex(value, expected);
  }
}

export function evaluateCondition(item: ConditionItem, scope: ValueScope): boolean {
  if ('all' in item) return item.all.every((child) => evaluateCondition(child, scope));
  if ('any' in item) return item.any.some((child) => evaluateCondition(child, scope));
  return evaluateRule(item, scope);
}
