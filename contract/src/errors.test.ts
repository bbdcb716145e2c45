import { describe, expect, it } from 'vitest';
import {
  Conflict,
  DomainError,
  DraftConflict,
  ERROR_STATUS,
  errorBody,
  errorHeaders,
  errorStatus,
  FlowNotFound,
  Forbidden,
  Invalid,
  InvalidCursor,
  NoSuchEndpoint,
  Overloaded,
  RateLimited,
  SignInRefused,
  Unavailable,
} from './errors.js';

describe('domain errors', () => {
  it('answer with the status of their kind', () => {
    expect(errorStatus(new FlowNotFound())).toBe(404);
    expect(errorStatus(new DraftConflict('Someone else saved this flow.'))).toBe(412);
    expect(errorStatus(new Conflict('Already a member.'))).toBe(409);
    expect(errorStatus(new InvalidCursor())).toBe(400);
    expect(errorStatus(new RateLimited('Too many requests.'))).toBe(429);
    expect(errorStatus(new SignInRefused(3))).toBe(401);
    expect(errorStatus(new Unavailable('The database is not answering.'))).toBe(503);
    for (const kind of Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]) {
      expect(errorStatus(new DomainError(kind, 'x'))).toBe(ERROR_STATUS[kind]);
    }
  });

  it('keep their class name and stay instances of their family', () => {
    const error = new DraftConflict('Someone else saved this flow.', { currentEtag: 'abc' });
    expect(error.name).toBe('DraftConflict');
    expect(error).toBeInstanceOf(DomainError);
    expect(new FlowNotFound().message).toBe('Flow was not found');
  });

  it('become the JSON error body, with the kind as code unless a precise one is given', () => {
    expect(errorBody(new Invalid('The message is not valid', [{ pointer: '/text' }]))).toEqual({
      error: { code: 'invalid', message: 'The message is not valid', details: [{ pointer: '/text' }] },
    });
    expect(errorBody(new Forbidden('Simulator endpoints are off.', 'endpoint_off'))).toEqual({
      error: { code: 'endpoint_off', message: 'Simulator endpoints are off.', details: null },
    });
  });

  it('say when to retry in Retry-After', () => {
    expect(errorHeaders(new RateLimited('Too many requests.', 7))).toEqual({ 'retry-after': '7' });
    expect(errorBody(new RateLimited('Too many requests.', 7)).error.details).toEqual({
      retryAfterSeconds: 7,
    });
    expect(errorHeaders(new SignInRefused(2))).toEqual({ 'retry-after': '2' });
    expect(errorHeaders(new FlowNotFound())).toEqual({});
    const overloaded = new Overloaded(2);
    expect([errorStatus(overloaded), errorHeaders(overloaded)]).toEqual([503, { 'retry-after': '2' }]);
    expect(errorBody(overloaded).error.details).toEqual({ retryAfterSeconds: 2 });
    expect(errorStatus(new NoSuchEndpoint())).toBe(404);
  });
});
