import type { Request, Response } from 'express';
import { STREAM_OPENED } from './load-shedding.js';

/** An open Server-Sent Events response. */
export interface EventStream {
  /** Writes one event (`data` as JSON); a no-op once the client is gone. */
  send(event: string, data: unknown): void;
  /** Runs `cleanup` when the client goes away (at once if it already has). */
  onClose(cleanup: () => void): void;
  /** Ends the stream from the server (the client's access ended); cleanups run. */
  close(): void;
  readonly closed: boolean;
}

export const HEARTBEAT_MS = 15_000;

/**
 * Starts a `text/event-stream` reply: no caching or buffering by proxies, a comment every 15 s so
 * idle connections stay open, and cleanup when the client disconnects.
 */
export function openEventStream(
  request: Request,
  response: Response,
  heartbeatMs = HEARTBEAT_MS,
): EventStream {
  let closed = false;
  const cleanups: (() => void)[] = [];
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write(': connected\n\n');
  response.emit(STREAM_OPENED);
  request.socket.setTimeout(0);
  const heartbeat = setInterval(() => {
    if (!closed) response.write(': ping\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  response.on('close', close);
  response.on('error', close);
  return {
    send(event, data) {
      if (closed) return;
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(cleanup) {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
    close() {
      if (closed) return;
      close();
      response.end();
    },
    get closed() {
      return closed;
    },
  };
}
