import { API_KEY_ROLES, atLeast, ErrorBody, PEOPLE_ONLY_OPERATIONS } from '@parley/contract';
import { acceptsIdempotencyKey, type RouteDefinition } from './route.js';

const ERROR_RESPONSES: Record<number, string> = {
  400: 'The request is not valid',
  401: 'Not signed in',
  403: 'The role does not allow this',
  404: 'Not found (or in another workspace)',
  429: 'Too many requests',
};
/** What any request with a body may be answered (writes). */
const BODY_ERROR_RESPONSES: Record<number, string> = {
  413: 'The body is larger than the limit',
  415: 'The body is not JSON',
};
/** What a write with an Idempotency-Key may be answered besides its own answers. */
const IDEMPOTENCY_RESPONSES: Record<number, string> = {
  409: 'A request with this Idempotency-Key is still being handled',
  422: 'This Idempotency-Key was already used for a different request',
};
const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: a repeated request with the same key and body (within 24 hours, by the same user in the same workspace) is answered with the first answer (header Idempotent-Replayed: true) instead of being done again. A 202 (work still pending) is not final: the retry asks again.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};
const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** Who may call a route: a session token always; an API key where a key's role reaches and it is not people's own. */
function securityOf(definition: RouteDefinition): Record<string, string[]>[] {
  const { access } = definition;
  const keys =
    access !== 'public' &&
    access !== 'signed_in' &&
    API_KEY_ROLES.some((role) => atLeast(role, access)) &&
    !PEOPLE_ONLY_OPERATIONS.has(`${definition.method.toUpperCase()} ${definition.path}`);
  return keys ? [{ bearer: [] }, { apiKey: [] }] : [{ bearer: [] }];
}

/** Strips TypeBox's symbol keys and our `x-message` hints so the document is plain JSON Schema. */
function plain(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema, (key, value) => (key === 'x-message' ? undefined : value)));
}

/** The OpenAPI 3.1 document, generated from the same route declarations that serve requests. */
export function buildOpenApi(routes: RouteDefinition[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const definition of routes) {
    const parameters = [
      ...Object.entries((definition.params?.properties ?? {}) as Record<string, unknown>).map(
        ([name, schema]) => ({
          name,
          in: 'path',
          required: true,
          schema: plain(schema),
        }),
      ),
      ...Object.entries((definition.query?.properties ?? {}) as Record<string, unknown>).map(
        ([name, schema]) => ({
          name,
          in: 'query',
          required: (definition.query?.required ?? []).includes(name),
          schema: plain(schema),
        }),
      ),
      ...(acceptsIdempotencyKey(definition) ? [IDEMPOTENCY_PARAMETER] : []),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(definition.responses)) {
      const error = Number(status) >= 400 && spec.schema === undefined && spec.contentType === undefined;
      responses[status] = {
        description: spec.description,
        ...(error
          ? { content: ERROR_CONTENT }
          : spec.schema === undefined && spec.contentType === undefined
            ? {}
            : {
                content: {
                  [spec.contentType ?? 'application/json']:
                    spec.schema === undefined ? {} : { schema: plain(spec.schema) },
                },
              }),
      };
    }
    const errors = {
      ...ERROR_RESPONSES,
      ...(definition.method === 'get' ? {} : BODY_ERROR_RESPONSES),
      ...(acceptsIdempotencyKey(definition) ? IDEMPOTENCY_RESPONSES : {}),
    };
    for (const [status, description] of Object.entries(errors)) {
      if ((status === '401' || status === '403') && definition.access === 'public') continue;
      responses[status] ??= { description, content: ERROR_CONTENT };
    }
    paths[definition.path] ??= {};
    (paths[definition.path] as Record<string, unknown>)[definition.method] = {
      summary: definition.summary,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      tags: [definition.tag],
      operationId: `${definition.method}${definition.path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(definition.access === 'public'
        ? { security: [] }
        : { security: securityOf(definition), 'x-parley-role': definition.access }),
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(definition.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: plain(definition.body) } },
            },
          }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley Admin API',
      version,
      description: 'Flows, versions, numbers, conversations, responses and analytics.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A session token, from POST /auth/login (or a Supabase Auth access token).',
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'pk_…',
          description:
            'An API key an admin made (POST /api-keys), sent as `Authorization: Bearer pk_…`. It acts with its role (viewer or editor) on the operations that list this scheme.',
        },
      },
      schemas: { Error: plain(ErrorBody) },
    },
    paths,
  };
}
