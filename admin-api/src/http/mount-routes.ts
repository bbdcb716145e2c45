import { createAjv, problemsFromAjv } from '@parley/schemas';
import type { TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { DomainError, forbidden, invalid } from '../errors/domain-errors.js';
import { type Caller, ROLE_RANK, type RouteDefinition } from './route.js';

/** Resolves the caller of a request from its credentials; throws `unauthenticated`. */
export type Authenticate = (request: Request) => Promise<Caller>;

// Query strings and path segments are text: coerce "5" to 5 and fill defaults.
const inputAjv = createAjv({ coerceTypes: true, useDefaults: true, strict: false });
const bodyAjv = createAjv({ useDefaults: true, strict: false });
const responseAjv = createAjv({ strict: false });

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
  throw invalid(`Some ${PLACES[where]} of the request are not valid.`, problems);
}

/** `/flows/{id}` → `/flows/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/**
 * Mounts declared routes: authentication and role, validation of params, query and body, the
 * handler, then validation of the JSON reply against its declared schema (a mismatch is our bug:
 * logged, and a 500 outside production so tests catch it).
 */
export function mountRoutes(routes: RouteDefinition[], authenticate: Authenticate, logger: Logger): Router {
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
    router[definition.method](expressPath(definition.path), async (request: Request, response: Response) => {
      let caller: Caller | null = null;
      if (definition.access !== 'public') {
        caller = await authenticate(request);
        if (ROLE_RANK[caller.role] < ROLE_RANK[definition.access]) throw forbidden();
      }
      const params = { ...request.params };
      const query = { ...(request.query as Record<string, unknown>) };
      check(validateParams, params, 'params');
      check(validateQuery, query, 'query');
      // A request without a body (no content-type) is read as `{}`: optional-only bodies may be left out.
      const body: unknown = definition.body === undefined ? request.body : (request.body ?? {});
      if (definition.body !== undefined) check(validateBody, body, 'body');
      const result = await definition.handler({
        params,
        query,
        body,
        caller,
        request,
        response,
        ip: request.ip ?? 'unknown',
      } as never);
      if (result === 'streamed') return;
      const validate = validateResponse.get(result.status);
      if (validate !== undefined && !validate(result.body)) {
        logger.error(
          { route: `${definition.method} ${definition.path}`, errors: validate.errors },
          'response does not match its schema',
        );
        if (strictResponses) {
          throw new DomainError('invalid', 'Response does not match the API schema', {
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
