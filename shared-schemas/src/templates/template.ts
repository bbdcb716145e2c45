import { resolveValue, type ValueScope } from '../values/path.js';

/** `{{ path }}` with optional spaces; a path is dotted identifiers or indexes. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)\s*\}\}/g;

/** How a value is made safe for the place it is inserted into. */
export type TemplateEscape = 'none' | 'url' | 'json';

/** Text of a value as a message shows it: missing -> "", arrays joined with ", ", objects as JSON. */
export function valueToText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(valueToText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function escapeText(text: string, mode: TemplateEscape): string {
  if (mode === 'url') return encodeURIComponent(text);
  if (mode === 'json') return JSON.stringify(text).slice(1, -1);
  return text;
}

export function renderTemplate(template: string, scope: ValueScope, mode: TemplateEscape = 'none'): string {
  return template.replace(PLACEHOLDER, (_match, path: string) =>
    escapeText(valueToText(resolveValue(scope, path)), mode),
  );
}

/** The paths a template reads, in order of appearance. */
export function templatePaths(template: string): string[] {
  return Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] as string);
}
