/**
 * Contract helpers for the tests generated from the live OpenAPI document: the operations it
 * lists, minimal valid values from its schemas, raw HTTP calls, and the checks every reply must
 * pass (documented status, declared schema, the error shape, no leaked internals).
 */
import { randomUUID } from 'node:crypto';
import type { Bus } from '@parley/bus';
import type { Db } from '@parley/db';
import { RuntimeService, runtimeConfigFromEnv } from '@parley/runtime';
import { createAjv } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import { pino } from 'pino';

export type Role = 'admin' | 'editor' | 'agent' | 'viewer';
export const ROLES: Role[] = ['admin', 'editor', 'agent', 'viewer'];
export const RANK: Record<Role, number> = { viewer: 1, agent: 2, editor: 3, admin: 4 };

/** Whether a member with `role` may call an operation (signed-in operations: anyone signed in). */
export const allows = (operation: Operation, role: Role) =>
  operation.access === 'public' || operation.access === 'signed_in' || RANK[role] >= RANK[operation.access];

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI objects are read loosely.
export type Json = any;

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/flows/{id}`. */
  path: string;
  /** `POST /flows/{id}/publish` */
  key: string;
  access: Role | 'public' | 'signed_in';
  spec: Json;
  /** The JSON request body schema, when the operation takes one. */
  body: Json | undefined;
  pathParams: string[];
  /** The schema of each path parameter. */
  pathSchemas: Record<string, Json>;
  query: { name: string; schema: Json; required: boolean }[];
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, spec] of Object.entries(methods)) {
      const parameters = (spec.parameters ?? []) as Json[];
      operations.push({
        method: method as Operation['method'],
        path,
        key: `${method.toUpperCase()} ${path}`,
        access: spec['x-parley-role'] ?? 'public',
        spec,
        body: spec.requestBody?.content?.['application/json']?.schema,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        pathSchemas: Object.fromEntries(
          parameters.filter((p) => p.in === 'path').map((p) => [p.name, p.schema]),
        ),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
      });
    }
  }
  return operations;
}

export const isWrite = (operation: Operation) => operation.method !== 'get';

/** `/flows/{id}/versions/{v}` with values (encoded). */
export function fillPath(path: string, values: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encodeURIComponent(String(value));
  });
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
let phoneCounter = 0;
/** A fresh valid E.164 phone number. */
export const uniquePhone = () => `+1415${String(5_000_000 + (phoneCounter++ % 5_000_000)).padStart(7, '0')}`;

/** A minimal value valid against a simple JSON Schema (required properties only). */
export function sampleOf(schema: Json): unknown {
  if (schema === undefined || schema === null) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) return sampleOf(schema.anyOf[0]);
  if (Array.isArray(schema.oneOf)) return sampleOf(schema.oneOf[0]);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        ((schema.required ?? []) as string[]).map((name) => [name, sampleOf(schema.properties?.[name])]),
      );
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items));
    case 'string':
      switch (schema.format) {
        case 'uuid':
          return randomUUID();
        case 'email':
          return `sample-${unique()}@example.com`;
        case 'phone':
          return uniquePhone();
        case 'date-time':
          return new Date().toISOString();
        default:
          return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
      }
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      return {};
  }
}

/** The string fields of a body schema, as paths of property names (nested objects included). */
export function stringFields(schema: Json, at: string[] = []): { path: string[]; schema: Json }[] {
  if (schema?.type !== 'object' || schema.properties === undefined) return [];
  const fields: { path: string[]; schema: Json }[] = [];
  for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
    const variants = [property, ...(property.anyOf ?? [])];
    if (variants.some((variant) => variant.type === 'string'))
      fields.push({ path: [...at, name], schema: property });
    const object = variants.find((variant) => variant.type === 'object' && variant.properties !== undefined);
    if (object !== undefined) fields.push(...stringFields(object, [...at, name]));
  }
  return fields;
}

/** Every declared field (top level and nested), with its schema. */
export function allFields(schema: Json, at: string[] = []): { path: string[]; schema: Json }[] {
  if (schema?.type !== 'object' || schema.properties === undefined) return [];
  const fields: { path: string[]; schema: Json }[] = [];
  for (const [name, property] of Object.entries(schema.properties as Record<string, Json>)) {
    fields.push({ path: [...at, name], schema: property });
    const object = [property, ...(property.anyOf ?? [])].find(
      (variant) => variant.type === 'object' && variant.properties !== undefined,
    );
    if (object !== undefined) fields.push(...allFields(object, [...at, name]));
  }
  return fields;
}

/** A deep copy of `value` with `path` set to `replacement` (creating objects on the way). */
export function withField(value: unknown, path: string[], replacement: unknown): Record<string, unknown> {
  const copy = structuredClone((value ?? {}) as Record<string, unknown>);
  let target = copy;
  for (const name of path.slice(0, -1)) {
    const next = target[name];
    target[name] = next !== null && typeof next === 'object' ? next : {};
    target = target[name] as Record<string, unknown>;
  }
  target[path.at(-1) as string] = replacement;
  return copy;
}

export interface RawReply {
  status: number;
  contentType: string;
  text: string;
  body: Json;
  /** The body claimed to be JSON but did not parse. */
  badJson: boolean;
  headers: Headers;
}

export interface SendOptions {
  token?: string;
  /** JSON-encoded with content-type application/json. */
  body?: unknown;
  /** Sent as is (content-type from `headers`, application/json by default; '' for none). */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  workspace?: string;
  /** For event streams: read the first chunk, then hang up. */
  stream?: boolean;
}

/** One HTTP call to the API, read whatever comes back. */
export async function send(
  base: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<RawReply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers);
  // An empty content-type means none at all (a body sent without saying what it is).
  if (headers['content-type'] === '') delete headers['content-type'];
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.workspace !== undefined) headers['x-workspace-id'] = options.workspace;
  const abort = new AbortController();
  const response = await fetch(`${base}${path}`, {
    method: method.toUpperCase(),
    headers,
    signal: abort.signal,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
  });
  const contentType = response.headers.get('content-type') ?? '';
  let text = '';
  if (options.stream === true && contentType.startsWith('text/event-stream')) {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined }>((resolve) => setTimeout(() => resolve({ value: undefined }), 2_000)),
    ]);
    text = new TextDecoder().decode(first.value ?? new Uint8Array());
    abort.abort();
    await reader.cancel().catch(() => undefined);
  } else {
    text = await response.text();
  }
  let body: Json = text;
  let badJson = false;
  if (contentType.includes('json') && text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      badJson = true;
    }
  }
  return { status: response.status, contentType, text, body, badJson, headers: response.headers };
}

const LEAKS: RegExp[] = [
  /\n\s+at \S/, // stack frames
  /\bat (?:async )?[\w$.<>[\]]+ \((?:file:|node:|\/)/,
  /(?:file:\/\/)?\/(?:work|home|usr|app|opt|tmp|root|var)\/[\w./-]+\.(?:[cm]?[jt]s)\b/, // file paths
  /node_modules[\\/]/,
  /\b(?:Type|Reference|Range|Syntax|Database)Error\b/,
];

/** Whether a reply shows anything of the server's insides (stack traces, file paths, error classes). */
export function leaksInternals(text: string): boolean {
  return LEAKS.some((pattern) => pattern.test(text));
}

/** Checks replies against the operation's declared responses, with schemas compiled once. */
export class ReplyChecker {
  private readonly ajv = createAjv({ strict: false });
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly errorSchema: Json;

  constructor(private readonly doc: Json) {
    this.errorSchema = this.deref({ $ref: '#/components/schemas/Error' });
  }

  /** Inlines `#/components/schemas/…` references and drops `$id`s (each compile stands alone). */
  private deref(schema: Json): Json {
    if (Array.isArray(schema)) return schema.map((item) => this.deref(item));
    if (schema === null || typeof schema !== 'object') return schema;
    if (typeof schema.$ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
      if (name === undefined) throw new Error(`cannot resolve ${schema.$ref}`);
      return this.deref(this.doc.components.schemas[name]);
    }
    return Object.fromEntries(
      Object.entries(schema)
        .filter(([key]) => key !== '$id')
        .map(([key, value]) => [key, this.deref(value)]),
    );
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(this.deref(schema));
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** Problems with a reply (empty when it keeps the contract); `context` says which call it was. */
  check(operation: Operation, reply: RawReply, context: string): string[] {
    const problems: string[] = [];
    const where = `${operation.key} [${context}] → ${reply.status}`;
    const excerpt = reply.text.slice(0, 300);
    if (reply.status >= 500) problems.push(`${where}: server error ${excerpt}`);
    if (leaksInternals(reply.text)) problems.push(`${where}: the reply leaks internals: ${excerpt}`);
    if (reply.badJson) problems.push(`${where}: says JSON but does not parse: ${excerpt}`);
    const declared = operation.spec.responses?.[String(reply.status)];
    if (declared === undefined) problems.push(`${where}: status not in the document (${excerpt})`);
    if (reply.status >= 400) {
      if (!reply.contentType.includes('application/json')) {
        problems.push(
          `${where}: error reply is not JSON (${reply.contentType || 'no content-type'}): ${excerpt}`,
        );
      } else {
        const validate = this.validator('#error', this.errorSchema);
        const error = reply.body?.error;
        if (
          !validate(reply.body) ||
          typeof error?.code !== 'string' ||
          typeof error?.message !== 'string' ||
          error.message === ''
        ) {
          problems.push(`${where}: not the error shape {error:{code,message,details}}: ${excerpt}`);
        }
        if (error?.message === 'Response does not match the API schema') {
          problems.push(`${where}: the server's reply did not match its own schema: ${excerpt}`);
        }
      }
    }
    if (declared?.content !== undefined && reply.status < 400) {
      const [type, media] = Object.entries(declared.content as Record<string, Json>)[0] as [string, Json];
      if (type === 'application/json') {
        if (!reply.contentType.includes('application/json')) {
          problems.push(`${where}: declared JSON, got ${reply.contentType || 'no content-type'}`);
        } else if (media.schema !== undefined) {
          const validate = this.validator(`${operation.key} ${reply.status}`, media.schema);
          if (!validate(reply.body)) {
            problems.push(
              `${where}: does not match the declared schema: ${this.ajv.errorsText(validate.errors)}`,
            );
          }
        }
      } else if (!reply.contentType.startsWith(type) && !(type === 'text/csv' && reply.status === 200)) {
        problems.push(`${where}: declared ${type}, got ${reply.contentType}`);
      }
    }
    if (reply.status === 204 && reply.text !== '') problems.push(`${where}: a 204 with a body`);
    return problems;
  }
}

/**
 * A real runtime in this process on the test's database and bus, without WhatsApp sessions (so a
 * `connect` command never starts a browser).
 */
export function startRuntime(db: Db, bus: Bus): Promise<RuntimeService> {
  return RuntimeService.start(
    {
      ...runtimeConfigFromEnv({ PARLEY_WHATSAPP: '0' }),
      port: 0,
      host: '127.0.0.1',
      timerPollMs: 100,
      maintenanceMs: 200,
    },
    { db, bus, listen: false, logger: pino({ level: process.env.PARLEY_LOG_LEVEL ?? 'silent' }) },
  );
}
