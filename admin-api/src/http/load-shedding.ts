import { Overloaded } from '@parley/contract';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export interface LoadSheddingConfig {
  /** Requests the API works on at once; more are refused with a 503 (0: no limit). */
  maxInFlight: number;
  /** Event-loop lag at which new requests are refused, in ms (0: not checked). */
  maxLagMs: number;
}

const RETRY_AFTER_SECONDS = 2;

/**
 * Emitted on a response once it has become a long-lived event stream: an open inbox or number page
 * holds one for hours while costing next to nothing, so it stops counting as work in progress.
 */
export const STREAM_OPENED = 'parley:stream-opened';
const LAG_SAMPLE_MS = 250;
const LOG_EVERY_MS = 10_000;

/**
 * Refuses work the process cannot take on yet, before it starts: past saturation, queued requests
 * only make every answer slow (seconds, then resets). A refused request costs nothing and says
 * when to come back, so clients and load balancers retry elsewhere or later. Mounted on /api/v1
 * only: health checks always answer.
 */
export function loadShedding(config: LoadSheddingConfig, logger: Logger): RequestHandler {
  let inFlight = 0;
  let lagMs = 0;
  let shed = 0;
  let loggedAt = 0;
  if (config.maxLagMs > 0) {
    // How late a timer fires is how long the event loop is blocked; unref'd, it never keeps the process alive.
    let expected = Date.now() + LAG_SAMPLE_MS;
    setInterval(() => {
      const now = Date.now();
      lagMs = Math.max(0, now - expected);
      expected = now + LAG_SAMPLE_MS;
    }, LAG_SAMPLE_MS).unref();
  }
  return (request, response, next) => {
    const busy =
      (config.maxInFlight > 0 && inFlight >= config.maxInFlight) ||
      (config.maxLagMs > 0 && lagMs >= config.maxLagMs);
    if (busy) {
      shed += 1;
      const now = Date.now();
      if (now - loggedAt >= LOG_EVERY_MS) {
        logger.warn(
          { inFlight, lagMs, shed, path: request.path },
          'API saturated: refusing requests with 503',
        );
        loggedAt = now;
        shed = 0;
      }
      next(new Overloaded(RETRY_AFTER_SECONDS));
      return;
    }
    inFlight += 1;
    let counted = true;
    const done = () => {
      if (!counted) return;
      counted = false;
      inFlight -= 1;
    };
    // 'close' follows both a finished response and a client that went away.
    response.once('close', done);
    response.once(STREAM_OPENED, done);
    next();
  };
}
