/**
 * Named domain errors: what went wrong in terms of the product, in plain words for the person who
 * made the request. Each kind has one HTTP status; the admin API's error middleware and the
 * runtime's error handler both answer with `errorStatus` and `errorBody`.
 */
export const ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition_failed: 412,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  /** The `code` of the JSON error: the kind, unless a more precise code helps the client. */
  readonly code: string;
  /** When trying again may work, after how long (sent as Retry-After). */
  retryAfterSeconds?: number;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: unknown,
    code?: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = code ?? kind;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, details?: unknown, code?: string) {
    super('invalid', message, details, code);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in first', code?: string) {
    super('unauthenticated', message, undefined, code);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this', code?: string) {
    super('forbidden', message, undefined, code);
  }
}

/** An API key on a route only people may use: their account, people and API keys. */
export class ApiKeyRefused extends Forbidden {
  constructor() {
    super(
      'An API key cannot do this: people, API keys and accounts are managed only by people signed in to Parley. Sign in with your email and password to do it.',
      'api_key_not_allowed',
    );
  }
}

export class NotFound extends DomainError {
  /** `what`: the missing thing, as a sentence starts ("Flow", "Version 3"). */
  constructor(what: string) {
    super('not_found', `${what} was not found`);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, details?: unknown, code?: string) {
    super('conflict', message, details, code);
  }
}

/** Something that existed and no longer answers (an expired link). */
export class Gone extends DomainError {
  constructor(message: string) {
    super('gone', message);
  }
}

export class PreconditionFailed extends DomainError {
  constructor(message: string, details?: unknown) {
    super('precondition_failed', message, details);
  }
}

/** An upload over its size limit; the message names the limit. */
export class TooLarge extends DomainError {
  constructor(message: string) {
    super('too_large', message);
  }
}

export class Unprocessable extends DomainError {
  constructor(message: string, details?: unknown) {
    super('unprocessable', message, details);
  }
}

export class RateLimited extends DomainError {
  constructor(message: string, retryAfterSeconds?: number) {
    super('rate_limited', message, retryAfterSeconds === undefined ? undefined : { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Something the request needs (the database) failed; the message says whether to retry and how. */
export class Unavailable extends DomainError {
  constructor(message: string, details?: unknown, code?: string) {
    super('unavailable', message, details, code);
  }
}

/** A path no route answers. */
export class NoSuchEndpoint extends DomainError {
  constructor() {
    super('not_found', 'No such endpoint.');
  }
}

/** The server is saturated and refused the request before doing anything; retrying later is safe. */
export class Overloaded extends Unavailable {
  constructor(retryAfterSeconds: number) {
    super(
      `Parley is busy right now and could not take this request. Nothing was changed; try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class FlowNotFound extends NotFound {
  constructor() {
    super('Flow');
  }
}

export class VersionNotFound extends NotFound {
  constructor(version: number) {
    super(`Version ${version}`);
  }
}

export class NumberNotFound extends NotFound {
  constructor() {
    super('Number');
  }
}

export class ConversationNotFound extends NotFound {
  constructor() {
    super('Conversation');
  }
}

export class SimulatorSessionNotFound extends NotFound {
  constructor() {
    super('Simulator session');
  }
}

/**
 * A sign-in refused: wrong password, unknown email, or too soon after a wrong password for that
 * email from this client. All three answer exactly alike, so the answer tells nobody which emails
 * have accounts or whether a password was even checked.
 */
export class SignInRefused extends Unauthenticated {
  constructor(retryAfterSeconds: number) {
    super('The email or password is not right. After a wrong try, wait a few seconds before the next one.');
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The draft changed since the client read it (its If-Match no longer matches). */
export class DraftConflict extends PreconditionFailed {}

/** A page cursor the API did not hand out, or from another query. */
export class InvalidCursor extends Invalid {
  constructor() {
    super('The cursor is not valid; start again from the first page.', [
      { pointer: '/query/cursor', message: 'Use the nextCursor of a previous page.' },
    ]);
  }
}

/** The HTTP status a domain error answers with. */
export function errorStatus(error: DomainError): number {
  return ERROR_STATUS[error.kind];
}

/** The headers a domain error answers with. */
export function errorHeaders(error: DomainError): Record<string, string> {
  return error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
}

/** The JSON body of an error answer: `{ error: { code, message, details } }`, never a stack trace. */
export function errorBody(error: DomainError) {
  return { error: { code: error.code, message: error.message, details: error.details ?? null } };
}
