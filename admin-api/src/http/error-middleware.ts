import { DomainError, errorBody, errorHeaders, errorStatus } from '@parley/contract';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** The only place errors become HTTP: `{ error: { code, message, details } }`, never a stack trace. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if (response.headersSent) {
      // A streamed answer (a download, an export) failed after it began: cut it short.
      logger.warn({ err: error }, 'a response failed after it started');
      response.destroy();
      return;
    }
    if (error instanceof DomainError) {
      response.status(errorStatus(error)).set(errorHeaders(error)).json(errorBody(error));
      return;
    }
    const http = error as { status?: number; type?: string };
    if (http.status === 413 || http.type === 'entity.too.large') {
      response.status(413).json({
        error: { code: 'payload_too_large', message: 'The request body is too large.', details: null },
      });
      return;
    }
    if (http.type === 'entity.parse.failed') {
      response.status(400).json({
        error: { code: 'invalid_json', message: 'The request body is not valid JSON.', details: null },
      });
      return;
    }
    if (http.status === 415) {
      response.status(415).json({
        error: {
          code: 'unsupported_media_type',
          message: 'Send the body as JSON (Content-Type: application/json; charset=utf-8).',
          details: null,
        },
      });
      return;
    }
    if (http.status !== undefined && http.status >= 400 && http.status < 500) {
      response
        .status(http.status)
        .json({ error: { code: 'bad_request', message: 'The request could not be read.', details: null } });
      return;
    }
    logger.error({ err: error }, 'request failed');
    response
      .status(500)
      .json({ error: { code: 'internal', message: 'Something went wrong on our side.', details: null } });
  };
}
