import type { FlowVariable } from './flow-variables';

/** A `{{` being typed before the caret: where it starts and what follows it so far. */
export interface OpenPlaceholder {
  start: number;
  query: string;
}

/** The `{{` the caret is right after (with part of a name typed), or null when it is not in one. */
export function openPlaceholder(text: string, caret: number): OpenPlaceholder | null {
  const match = /\{\{\s*([A-Za-z0-9_.$-]*)$/.exec(text.slice(0, caret));
  return match === null ? null : { start: match.index, query: match[1] ?? '' };
}

/** The text with `{{name}}` put in place of `from`–`to`, and where the caret goes after it. */
export function insertVariable(
  text: string,
  from: number,
  to: number,
  name: string,
): { text: string; caret: number } {
  // A closing `}}` already there (typed ahead, or left from an earlier name) is not doubled.
  const closing = /^\s*\}\}/.exec(text.slice(to))?.[0].length ?? 0;
  const placeholder = `{{${name}}}`;
  return {
    text: text.slice(0, from) + placeholder + text.slice(to + closing),
    caret: from + placeholder.length,
  };
}

/** The variables whose name, kind or origin contains the search, names that start with it first. */
export function searchVariables(variables: readonly FlowVariable[], search: string): FlowVariable[] {
  const words = search.trim().toLowerCase();
  if (words === '') return [...variables];
  const found = variables.filter((variable) =>
    `${variable.name} ${variable.kind} ${variable.from}`.toLowerCase().includes(words),
  );
  const first = found.filter((variable) => variable.name.toLowerCase().startsWith(words));
  return [...first, ...found.filter((variable) => !first.includes(variable))];
}
