/**
 * Builders and checks shared by the unit tests (not part of the package build).
 * Documents are built as plain JSON on purpose: the validator must cope with anything.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Problem } from '../validation/problem.js';

type Json = Record<string, unknown>;

/** The conformance scenarios `parley test` runs: the one copy, kept with the runtime's tests. */
export const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '../../../runtime/test/scenarios');

/**
 * The Flow Documents of the scenarios in `folder`. Throws when there are none, so a test fed from a
 * folder that moved fails instead of quietly running no cases.
 */
export function scenarioFlows(folder = SCENARIOS): { file: string; flow: Json }[] {
  const files = existsSync(folder) ? readdirSync(folder).filter((file) => file.endsWith('.json')) : [];
  if (files.length === 0) throw new Error(`No scenario files (*.json) in ${folder}`);
  return files
    .sort()
    .map((file) => ({ file, flow: JSON.parse(readFileSync(join(folder, file), 'utf8')).flow as Json }));
}

export function node(id: string, type: string, config: unknown): Json {
  return { id, type, config };
}

export function edge(id: string, source: string, sourceHandle: string, target: string): Json {
  return { id, source, sourceHandle, target };
}

export function anyMessage(target: string, id = 't1'): Json {
  return { id, type: 'any_message', target };
}

export function question(
  id: string,
  variable: string,
  answer: unknown = { type: 'string' },
  extra = {},
): Json {
  return node(id, 'question', { prompt: `Your ${variable}?`, variable, answer, ...extra });
}

export const END = node('done', 'end', {});

/** A Flow Document v1; `nodes`, `edges` and `triggers` default to empty lists. */
export function flow(parts: Json = {}): Json {
  return { schemaVersion: 1, name: 'Test flow', triggers: [], nodes: [], edges: [], ...parts };
}

/** Problems as `[pointer, message]` pairs, the form most assertions read best in. */
export function pairs(problems: Problem[]): [string, string][] {
  return problems.map((problem) => [problem.pointer, problem.message]);
}

export function pointers(problems: Problem[]): string[] {
  return problems.map((problem) => problem.pointer);
}

/** Wording that only a programmer understands; admins must never see it. */
const JARGON = [
  /must NOT/,
  /must have required/i,
  /must match/i,
  /must be equal to/i,
  /additional propert/i,
  /\bschema is invalid\b/i,
  /\bstrict mode\b/i,
  /\bdata\//,
  /instancePath|schemaPath/,
  /[<>]=?\s*\d/,
  /\bundefined\b|\bnull\b|\[object Object\]/,
];

/** A sentence for a non-technical admin: starts like a sentence, no validator jargon. */
export function expectReadable(message: string): void {
  expect(message, 'message starts like a sentence').toMatch(/^[A-Z“]/);
  expect(message.length, 'message has some words').toBeGreaterThan(10);
  // What the author typed is quoted “like this”, and allowed values "like this": both may contain
  // anything (a JSON type is called "null").
  const ownWords = message.replaceAll(/“[^”]*”|"[^"]*"/g, '“…”');
  for (const pattern of JARGON) expect(ownWords, `message free of ${pattern}`).not.toMatch(pattern);
}

/** No two problems share pointer and message. */
export function expectNoDuplicates(problems: Problem[]): void {
  const keys = problems.map((problem) => `${problem.pointer} ${problem.message}`);
  expect(keys).toEqual([...new Set(keys)]);
}
