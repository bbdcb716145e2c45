import type { Server } from 'node:http';
import { DomainError, errorBody, errorHeaders, errorStatus, NoSuchEndpoint } from '@parley/contract';
import express, { type ErrorRequestHandler, type Express, type Router } from 'express';
import type { Logger } from './logger.js';

/**
 * Maps errors to `{ error: { code, message, details } }` as the admin API does (domain errors by
 * their kind); never a stack trace to the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if (error instanceof DomainError) {
      response.status(errorStatus(error)).set(errorHeaders(error)).json(errorBody(error));
      return;
    }
    const status =
      (error as { status?: number; statusCode?: number }).status ??
      (error as { statusCode?: number }).statusCode;
    if (status === 413) {
      response.status(413).json({
        error: { code: 'payload_too_large', message: 'The request body is too large', details: null },
      });
      return;
    }
    if (status === 400 && (error as { type?: string }).type === 'entity.parse.failed') {
      response.status(400).json({
        error: { code: 'invalid_json', message: 'The request body is not valid JSON', details: null },
      });
      return;
    }
    logger.error({ err: error }, 'request failed');
    response
      .status(500)
      .json({ error: { code: 'internal', message: 'Something went wrong on our side', details: null } });
  };
}

/** An express app with JSON bodies (size-capped), the given routers, a JSON 404 and the error handler. */
export function createApp(routers: Router[], logger: Logger, bodyLimit = '256kb'): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: bodyLimit }));
  for (const router of routers) app.use(router);
  app.use((_request, _response, next) => next(new NoSuchEndpoint()));
  app.use(errorHandler(logger));
  return app;
}

export async function listen(app: Express, port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
