import type { ErrorObject, ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import { patternProblem } from '../patterns/author-pattern.js';
import { createAjv } from './ajv.js';
import { problemsFromAjv } from './ajv-messages.js';

// Strict so that a typo in an answer schema ("minlenght") is reported instead of silently ignored.
const createAnswerAjv = () =>
  createAjv({ strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: false });
const answerAjv = createAnswerAjv();

/** How many distinct answer schemas stay compiled; every draft save with new settings adds one. */
export const ANSWER_SCHEMA_CACHE_MAX = 500;

interface CacheEntry {
  compiled: CompiledAnswer;
  /** The ajv that holds the compiled schema and the object it holds it by, to forget it on eviction. */
  owner: { ajv: ReturnType<typeof createAjv>; schema: object } | null;
}

// ajv keeps every schema it compiled (by object) until told to forget it, so evicting an entry
// must also remove it from ajv: the cache alone would not free the memory.
const cache = new LRUCache<string, CacheEntry>({
  max: ANSWER_SCHEMA_CACHE_MAX,
  dispose: (entry) => {
    entry.owner?.ajv.removeSchema(entry.owner.schema);
  },
});

/** How many compiled answer schemas are held now (for tests and metrics). */
export function answerSchemaCacheSize(): number {
  return cache.size;
}

/**
 * A compiled answer validator, or why the answer schema is not usable: `message` tells an admin
 * what is wrong (it completes "The answer settings are not valid: …"), `pointer` is where in the
 * answer schema ("" for the schema as a whole).
 */
export type CompiledAnswer =
  | { ok: true; validate: ValidateFunction }
  | { ok: false; message: string; pointer: string };

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The pointer of a top-level keyword of the schema, when it is there ("" otherwise). */
function at(schema: object, keyword: string): string {
  return Object.hasOwn(schema, keyword) ? `/${keyword}` : '';
}

/** Says what is wrong with a schema that does not fit the JSON Schema meta-schema. */
function fromMetaSchema(errors: ErrorObject[] | null | undefined): { message: string; pointer: string } {
  const [first] = problemsFromAjv(errors);
  if (first === undefined) return { message: 'they are not a valid JSON Schema.', pointer: '' };
  const pointer = first.pointer === '/' ? '' : first.pointer;
  const subject = pointer === '' ? 'the schema' : `“${pointer.slice(1).replaceAll('/', '.')}”`;
  return { message: `${subject} ${lowerFirst(first.message)}`, pointer };
}

/** Says what is wrong with a schema that ajv refused to compile. */
function fromCompileError(schema: object, cause: unknown): { message: string; pointer: string } {
  const text = cause instanceof Error ? cause.message : String(cause);
  const keyword = /unknown keyword: "([^"]*)"/.exec(text)?.[1];
  if (keyword !== undefined) {
    return {
      message: `“${keyword}” is not a known answer setting. Remove it or check its spelling.`,
      pointer: at(schema, keyword),
    };
  }
  const format = /unknown format "([^"]*)"/.exec(text)?.[1];
  if (format !== undefined)
    return { message: `“${format}” is not a known format.`, pointer: at(schema, 'format') };
  if (cause instanceof RangeError) return { message: 'they are nested too deeply.', pointer: '' };
  return { message: `they could not be read (${text}).`, pointer: '' };
}

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

// Keywords whose values are data, not schemas: a `pattern` inside them is not a pattern.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/** What is wrong with one pattern of the schema at `pointer`, or null. */
function checkPattern(pattern: string, pointer: string): { message: string; pointer: string } | null {
  const problem = patternProblem(pattern);
  return problem === null ? null : { message: `the pattern “${pattern}” can't be used: ${problem}`, pointer };
}

/**
 * The first `pattern` or `patternProperties` name RE2 cannot compile, with what is wrong. ajv checks
 * no format while reading a schema against the meta-schema, so patterns are checked here, before
 * ajv compiles them, to point at the pattern itself.
 */
function unusablePattern(value: unknown, pointer = ''): { message: string; pointer: string } | null {
  if (value === null || typeof value !== 'object') return null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value).filter(([key]) => !DATA_KEYWORDS.has(key));
  for (const [key, child] of entries) {
    const at = `${pointer}/${escapePointerToken(key)}`;
    const found =
      !Array.isArray(value) && key === 'pattern' && typeof child === 'string'
        ? checkPattern(child, at)
        : !Array.isArray(value) && key === 'patternProperties' && child !== null && typeof child === 'object'
          ? Object.keys(child).reduce<ReturnType<typeof checkPattern>>(
              (first, name) => first ?? checkPattern(name, `${at}/${escapePointerToken(name)}`),
              null,
            )
          : null;
    const problem = found ?? unusablePattern(child, at);
    if (problem !== null) return problem;
  }
  return null;
}

/** Whether a schema names itself or a part of itself (`$id`). */
function declaresIds(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(declaresIds);
  if (value === null || typeof value !== 'object') return false;
  return Object.hasOwn(value, '$id') || Object.values(value).some(declaresIds);
}

function compile(schema: object): CacheEntry {
  try {
    // ajv keeps every `$id` it compiled for good: one question's ids would clash with another's, or
    // be reachable by `$ref` from any later flow. Such (rare) schemas get an ajv of their own.
    const ajv = declaresIds(schema) ? createAnswerAjv() : answerAjv;
    if (!ajv.validateSchema(schema))
      return { compiled: { ok: false, ...fromMetaSchema(ajv.errors) }, owner: null };
    const unusable = unusablePattern(schema);
    if (unusable !== null) return { compiled: { ok: false, ...unusable }, owner: null };
    const copy = structuredClone(schema);
    return { compiled: { ok: true, validate: ajv.compile(copy) }, owner: { ajv, schema: copy } };
  } catch (cause) {
    return { compiled: { ok: false, ...fromCompileError(schema, cause) }, owner: null };
  }
}

/** Compiles the validator of a question's answer, once per distinct schema among the recently used. */
export function compileAnswerSchema(schema: object): CompiledAnswer {
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch {
    return { ok: false, message: 'they are nested too deeply.', pointer: '' };
  }
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = compile(schema);
    cache.set(key, entry);
  }
  return entry.compiled;
}
