import { ApiKeyRefused, atLeast, Forbidden, Invalid, PEOPLE_ONLY_OPERATIONS } from '@parley/contract';
import { createAjv, problemsFromAjv } from '@parley/schemas';
import type { TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import {
  type IdempotencyService,
  readIdempotencyKey,
  requestHash,
} from '../modules/idempotency/idempotency.service.js';
import {
  acceptsIdempotencyKey,
  type Caller,
  type RouteDefinition,
  type RouteResult,
  type SignedInUser,
} from './route.js';

/** Resolves who makes a request from its credentials; throws `unauthenticated`. */
export interface Authenticate {
  /** The caller acting in a workspace (theirs by X-Workspace-Id, else their first). */
  caller(request: Request): Promise<Caller>;
  /** The signed-in user, whether or not they belong to a workspace. */
  user(request: Request): Promise<SignedInUser>;
}

// Query strings and path segments are text: coerce "5" to 5 and fill defaults. NaN and Infinity
// (JSON's 1e400) are not numbers here.
const inputAjv = createAjv({ coerceTypes: true, useDefaults: true, strict: false, strictNumbers: true });
const bodyAjv = createAjv({ useDefaults: true, strict: false, strictNumbers: true });
const responseAjv = createAjv({ strict: false });

// RFC 3339 allows times Postgres cannot store (year 0000, offsets beyond ±15:59): refused as input.
const isDateTime = createAjv({ strict: false }).compile({ type: 'string', format: 'date-time' });
function storableDateTime(value: string): boolean {
  if (!isDateTime(value) || Number(value.slice(0, 4)) < 1) return false;
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(value);
  return offset === null || Number(offset[2]) * 60 + Number(offset[3]) <= 15 * 60 + 59;
}
for (const ajv of [inputAjv, bodyAjv])
  ajv.addFormat('date-time', { type: 'string', validate: storableDateTime });

/** Deeper JSON than any Flow Document needs; deeper input is refused before it reaches JSON.stringify or Postgres. */
export const MAX_INPUT_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * What JSON can carry but Postgres cannot store (NUL characters, unpaired UTF-16 surrogates, in
 * values or keys) and nesting deeper than MAX_INPUT_DEPTH: a 400 with the pointer, never a 500 later.
 * Iterative, so hostile nesting cannot overflow the stack here either.
 */
function checkStorable(value: unknown, where: keyof typeof PLACES): void {
  const bad = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const pointer = `/${where}${item.pointer}`;
    if (typeof item.value === 'string') {
      if (bad(item.value)) {
        throw new Invalid(`Some ${PLACES[where]} of the request are not valid.`, [
          { pointer, message: 'Must not contain NUL characters or invalid Unicode.' },
        ]);
      }
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_INPUT_DEPTH) {
      throw new Invalid(`The ${PLACES[where]} of the request are nested too deeply.`, [
        { pointer, message: `Must not nest more than ${MAX_INPUT_DEPTH} levels deep.` },
      ]);
    }
    for (const [key, child] of Object.entries(item.value)) {
      if (bad(key)) {
        throw new Invalid(`Some ${PLACES[where]} of the request are not valid.`, [
          { pointer, message: 'Names must not contain NUL characters or invalid Unicode.' },
        ]);
      }
      stack.push({ value: child, pointer: `${item.pointer}/${escapePointer(key)}`, depth: item.depth + 1 });
    }
  }
}

/**
 * Ajv coerces "1e400" (or "Infinity") in a query or path to Infinity without checking it again,
 * and skips minimum/maximum for it: refused here, after coercion.
 */
function checkFinite(value: Record<string, unknown>, where: keyof typeof PLACES): void {
  for (const [name, item] of Object.entries(value)) {
    const items = Array.isArray(item) ? item : [item];
    if (items.some((entry) => typeof entry === 'number' && !Number.isFinite(entry))) {
      throw new Invalid(`Some ${PLACES[where]} of the request are not valid.`, [
        { pointer: `/${where}/${escapePointer(name)}`, message: 'Must be a finite number.' },
      ]);
    }
  }
}

/** An absent body, or an empty object (what some clients send when there is nothing to send). */
function isEmptyBody(body: unknown): boolean {
  return (
    body === undefined ||
    (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)
  );
}

function compile(ajv: ReturnType<typeof createAjv>, schema: TSchema | undefined): ValidateFunction | null {
  return schema === undefined ? null : ajv.compile(schema);
}

const PLACES = { params: 'path parameters', query: 'query parameters', body: 'fields of the body' } as const;

function check(validate: ValidateFunction | null, value: unknown, where: keyof typeof PLACES): void {
  if (validate === null || validate(value)) return;
  const problems = problemsFromAjv(validate.errors).map(({ pointer, message }) => ({
    pointer: `/${where}${pointer === '/' ? '' : pointer}`,
    message,
  }));
  throw new Invalid(`Some ${PLACES[where]} of the request are not valid.`, problems);
}

/** `/flows/{id}` → `/flows/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts declared routes: authentication and role, validation of params, query and body, the
 * handler (at most once per Idempotency-Key on writes), then validation of the JSON reply against
 * its declared schema (a mismatch is our bug: logged, and a 500 outside production so tests catch it).
 */
export function mountRoutes(
  routes: RouteDefinition[],
  authenticate: Authenticate,
  logger: Logger,
  idempotency: IdempotencyService,
): Router {
  const router = Router();
  const strictResponses = process.env.NODE_ENV !== 'production';
  for (const definition of routes) {
    const validateParams = compile(inputAjv, definition.params);
    const validateQuery = compile(inputAjv, definition.query);
    const validateBody = compile(bodyAjv, definition.body);
    const validateResponse = new Map(
      Object.entries(definition.responses).flatMap(([status, spec]) =>
        spec.schema === undefined || spec.contentType !== undefined
          ? []
          : [[Number(status), responseAjv.compile(spec.schema)]],
      ),
    );
    const peopleOnly = PEOPLE_ONLY_OPERATIONS.has(`${definition.method.toUpperCase()} ${definition.path}`);
    router[definition.method](expressPath(definition.path), async (request: Request, response: Response) => {
      let caller: Caller | SignedInUser | null = null;
      if (definition.access === 'signed_in') {
        caller = await authenticate.user(request);
      } else if (definition.access !== 'public') {
        const member = await authenticate.caller(request);
        // Before the role: a key is told it can never do this, not that its role is too low.
        if (peopleOnly && member.apiKeyId !== null) throw new ApiKeyRefused();
        if (!atLeast(member.role, definition.access)) throw new Forbidden();
        caller = member;
      }
      const params = { ...request.params };
      const query = { ...(request.query as Record<string, unknown>) };
      checkStorable(params, 'params');
      checkStorable(query, 'query');
      check(validateParams, params, 'params');
      check(validateQuery, query, 'query');
      checkFinite(params, 'params');
      checkFinite(query, 'query');
      // A request without a body (no content-type) is read as `{}`: optional-only bodies may be left out.
      const body: unknown = definition.body === undefined ? request.body : (request.body ?? {});
      if (definition.body === undefined && !isEmptyBody(body)) {
        throw new Invalid('This request takes no body.', [
          { pointer: '/body', message: 'Leave the body out.' },
        ]);
      }
      if (definition.body !== undefined) {
        checkStorable(body, 'body');
        check(validateBody, body, 'body');
      }
      if (definition.secretAnswer === true && request.get('idempotency-key') !== undefined) {
        throw new Invalid(
          'This request takes no Idempotency-Key: its answer holds a secret shown only once, which Parley does not keep to answer a retry. Leave the header out.',
          [{ pointer: '/headers/idempotency-key', message: 'Leave this header out.' }],
        );
      }
      // Keys are kept per workspace member; routes of a signed-in user without a workspace take none.
      const member = caller !== null && 'workspaceId' in caller ? caller : null;
      const idempotencyKey =
        member !== null && acceptsIdempotencyKey(definition)
          ? readIdempotencyKey(request.get('idempotency-key'))
          : null;
      const handle = () =>
        definition.handler({
          params,
          query,
          body,
          caller,
          request,
          response,
          ip: request.ip ?? 'unknown',
          idempotencyKey,
        } as never);
      let result: RouteResult;
      if (member === null || idempotencyKey === null) result = await handle();
      else {
        const outcome = await idempotency.run(
          { workspaceId: member.workspaceId, userId: member.userId, key: idempotencyKey },
          requestHash(definition.method, request.originalUrl, body),
          async () => {
            const handled = await handle();
            if (handled === 'streamed')
              throw new Error(`${definition.path} streams: it cannot be idempotent`);
            return { status: handled.status, body: handled.body, headers: handled.headers ?? {} };
          },
        );
        if (outcome.replayed) response.setHeader('Idempotent-Replayed', 'true');
        result = outcome;
      }
      if (result === 'streamed') return;
      const validate = validateResponse.get(result.status);
      if (validate !== undefined && !validate(result.body)) {
        logger.error(
          { route: `${definition.method} ${definition.path}`, errors: validate.errors },
          'response does not match its schema',
        );
        if (strictResponses) {
          throw new Invalid('Response does not match the API schema', {
            errors: validate.errors,
          });
        }
      }
      for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
      if (result.body === undefined) response.status(result.status).end();
      else response.status(result.status).json(result.body);
    });
  }
  return router;
}
