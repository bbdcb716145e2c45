/**
 * Domain errors: what went wrong in terms of the product, with no HTTP in them. One middleware
 * (http/error-middleware.ts) maps each kind to a status code and the JSON error shape.
 */
export class DomainError extends Error {
  constructor(
    readonly kind:
      | 'not_found'
      | 'conflict'
      | 'invalid'
      | 'unauthenticated'
      | 'forbidden'
      | 'precondition_failed'
      | 'rate_limited'
      | 'unprocessable'
      | 'unavailable'
      | 'too_large'
      | 'gone',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found`);
export const conflict = (message: string, details?: unknown) => new DomainError('conflict', message, details);
export const invalid = (message: string, details?: unknown) => new DomainError('invalid', message, details);
export const unprocessable = (message: string, details?: unknown) =>
  new DomainError('unprocessable', message, details);
/** Something the request needs (the database) failed; the message says whether to retry and how. */
export const unavailable = (message: string, details?: unknown) =>
  new DomainError('unavailable', message, details);
export const unauthenticated = (message = 'Sign in first') => new DomainError('unauthenticated', message);
export const forbidden = (message = 'Your role does not allow this') => new DomainError('forbidden', message);
export const preconditionFailed = (message: string, details?: unknown) =>
  new DomainError('precondition_failed', message, details);
/** An upload over its size limit; the message names the limit. */
export const tooLarge = (message: string) => new DomainError('too_large', message);
/** Something that existed and no longer answers (an expired link). */
export const gone = (message: string) => new DomainError('gone', message);
