import type { Role } from '@parley/contract';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Request, Response } from 'express';

/**
 * Who may call a route: anyone, any signed-in user (member of a workspace or not: answering an
 * invitation), or a member of the workspace with at least this role.
 */
export type Access = 'public' | 'signed_in' | Role;

/** A signed-in user, whether or not they belong to any workspace. */
export interface SignedInUser {
  userId: string;
  email: string;
  sessionId: string | null;
}

/**
 * The signed-in user acting in one workspace, or an API key: then the user is the admin who made
 * it (what the key does is recorded under them), and `apiKeyId` names the key.
 */
export interface Caller extends SignedInUser {
  workspaceId: string;
  role: Role;
  apiKeyId: string | null;
}

export interface ResponseSpec {
  description: string;
  schema?: TSchema;
  /** Non-JSON bodies (CSV, event streams) are described but not validated. */
  contentType?: string;
}

type StaticOr<S, Fallback> = [S] extends [TSchema] ? Static<S> : Fallback;

export interface RouteContext<P, Q, B, A extends Access> {
  params: P;
  query: Q;
  body: B;
  caller: A extends 'public' ? Caller | null : A extends 'signed_in' ? SignedInUser : Caller;
  request: Request;
  response: Response;
  ip: string;
  /** The write's Idempotency-Key header, when the client sent one (writes by signed-in callers). */
  idempotencyKey: string | null;
}

/** A JSON reply, or `streamed` when the handler wrote the response itself (exports, SSE). */
export type RouteResult = { status: number; body?: unknown; headers?: Record<string, string> } | 'streamed';

interface TypedRoute<
  P extends TSchema | undefined,
  Q extends TSchema | undefined,
  B extends TSchema | undefined,
  A extends Access,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI style: `/flows/{id}`. */
  path: string;
  summary: string;
  /** Longer documentation (OpenAPI `description`): definitions, limits. */
  description?: string;
  tag: string;
  access: A;
  /**
   * The answer holds a secret shown once (an API key, a reset code): no Idempotency-Key, whose
   * stored answer would keep the secret in the database and hand it out again.
   */
  secretAnswer?: true;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  handler: (
    context: RouteContext<
      StaticOr<P, Record<string, never>>,
      StaticOr<Q, Record<string, never>>,
      StaticOr<B, undefined>,
      A
    >,
  ) => Promise<RouteResult>;
}

/** A declared route with its schema types erased, as routers and the OpenAPI builder hold them. */
export interface RouteDefinition {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /**
   * The answer holds a secret shown once (an API key, a reset code): no Idempotency-Key, whose
   * stored answer would keep the secret in the database and hand it out again.
   */
  secretAnswer?: true;
  params?: TObject;
  query?: TObject;
  body?: TSchema;
  responses: Record<number, ResponseSpec>;
  // biome-ignore lint/suspicious/noExplicitAny: erased here; `route()` checks the handler against its schemas.
  handler: (context: RouteContext<any, any, any, Access>) => Promise<RouteResult>;
}

/** Declares a route; the same declaration drives the Express handler, validation and OpenAPI. */
export function route<
  P extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
  A extends Access = Access,
>(definition: TypedRoute<P, Q, B, A>): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

/** Writes by signed-in callers accept an Idempotency-Key: a retry with it is answered, not redone. */
export function acceptsIdempotencyKey(
  definition: Pick<RouteDefinition, 'method' | 'access' | 'secretAnswer'>,
): boolean {
  return definition.method !== 'get' && definition.access !== 'public' && definition.secretAnswer !== true;
}
