import { createHash, timingSafeEqual } from 'node:crypto';
import { Forbidden, Unauthenticated } from '@parley/contract';
import type { Request, RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';

/** The shared secrets of the runtime's HTTP endpoints (PARLEY_INTERNAL_TOKEN, PARLEY_METRICS_TOKEN). */
export interface OpsTokens {
  /** Opens every runtime endpoint: the simulator channel, full readiness, metrics. */
  internal?: string;
  /** Opens only `/metrics` and the details of `/readyz` (for Prometheus and dashboards). */
  metrics?: string;
}

/** Shorter tokens are refused at start: a guessable token is no door at all. */
const MIN_TOKEN_LENGTH = 32;

/** A token setting from the environment, refused with a plain message when too short. */
export function tokenFromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_TOKEN_LENGTH) {
    throw new Error(
      `${name} must be at least ${MIN_TOKEN_LENGTH} characters long (for example: openssl rand -hex 32)`,
    );
  }
  return value;
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

// Hashing both sides first gives equal lengths, so the comparison takes the same time for any guess.
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether the request's `Authorization: Bearer …` is one of `tokens` (unset tokens match nothing). */
export function carriesToken(request: Request, tokens: (string | undefined)[]): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  const given = match?.[1];
  return given !== undefined && tokens.some((token) => token !== undefined && sameToken(given, token));
}

/**
 * Lets a request through only with one of `tokens`: 403 when none is configured (the endpoint is
 * off, and the message says which setting turns it on), 401 when the caller's token is missing or wrong.
 */
export function requireToken(tokens: (string | undefined)[], setting: string, what: string): RequestHandler {
  const configured = tokens.some((token) => token !== undefined);
  return (request, response, next) => {
    if (!configured) {
      throw new Forbidden(
        `${what} are off: set ${setting} and send it as "Authorization: Bearer <token>".`,
        'endpoint_off',
      );
    }
    if (!carriesToken(request, tokens)) {
      response.setHeader('www-authenticate', 'Bearer');
      throw new Unauthenticated(
        `${what} need the token from ${setting}, sent as "Authorization: Bearer <token>".`,
      );
    }
    next();
  };
}
