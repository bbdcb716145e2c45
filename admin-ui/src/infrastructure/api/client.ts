import type { ErrorBody } from '@parley/contract';
import { sessionStore } from '../store/session-store';

/** The API's error body, read defensively: a proxy in between may answer with anything. */
type ErrorPayload = Partial<ErrorBody['error']>;

/** An API failure, with a message a person can read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const FRIENDLY: Record<number, string> = {
  403: 'Your role does not allow this. Ask a workspace admin.',
  404: 'This was not found. It may have been deleted.',
  413: 'That is too large to upload.',
  429: 'Too many requests. Wait a moment and try again.',
  500: 'Something went wrong on our side. Try again in a moment.',
  502: 'Parley is not reachable right now. Try again in a moment.',
  503: 'Parley is not reachable right now. Try again in a moment.',
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  /** Skip the session headers (sign-in). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

/** Calls the Admin API under /api/v1 with the session's token and workspace. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const session = sessionStore.getState();
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!options.anonymous && session.token !== null) {
    headers.authorization = `Bearer ${session.token}`;
    if (session.workspaceId !== null) headers['x-workspace-id'] = session.workspaceId;
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'Can’t reach Parley. Check your connection and try again.');
  }
  if (response.status === 204) return { data: undefined as T, headers: response.headers };
  const text = await response.text();
  let payload: unknown = null;
  try {
    payload = text === '' ? null : JSON.parse(text);
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { error?: ErrorPayload } | null)?.error;
    const status = response.status;
    if (status === 401 && !options.anonymous) {
      sessionStore.getState().signOut(error?.message ?? 'Your session has ended. Sign in again.');
    }
    const message = error?.message ?? FRIENDLY[status] ?? `The request failed (${status}).`;
    throw new ApiError(status, error?.code ?? 'http_error', message, error?.details ?? null);
  }
  return { data: payload as T, headers: response.headers };
}

function sessionHeaders(): Record<string, string> {
  const session = sessionStore.getState();
  const headers: Record<string, string> = {};
  if (session.token !== null) {
    headers.authorization = `Bearer ${session.token}`;
    if (session.workspaceId !== null) headers['x-workspace-id'] = session.workspaceId;
  }
  return headers;
}

async function failure(response: Response): Promise<ApiError> {
  let error: ErrorPayload | undefined;
  try {
    error = ((await response.json()) as { error?: ErrorPayload }).error;
  } catch {
    error = undefined;
  }
  if (response.status === 401) sessionStore.getState().signOut('Your session has ended. Sign in again.');
  return new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? FRIENDLY[response.status] ?? `The request failed (${response.status}).`,
    error?.details ?? null,
  );
}

/** Downloads a file the API streams (with the session's token), saving it under the server's name. */
export async function download(path: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { headers: sessionHeaders() });
  } catch {
    throw new ApiError(0, 'network', 'Can’t reach Parley. Check your connection and try again.');
  }
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const fileName = name ? decodeURIComponent(name) : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

/**
 * Follows a Server-Sent Events stream with fetch (EventSource cannot send the Authorization header),
 * calling `onEvent` for each event until `signal` aborts. Resolves when the stream ends. `hooks.onOpen`
 * runs once the server accepted the stream, before any event; `hooks.onChunk` whenever anything
 * arrives, keep-alive comments included (to notice a connection that went silent).
 */
export async function streamEvents(
  path: string,
  onEvent: (event: string, data: string) => void,
  signal: AbortSignal,
  hooks: { onOpen?: () => void; onChunk?: () => void } = {},
): Promise<void> {
  const response = await fetch(`/api/v1${path}`, {
    headers: { ...sessionHeaders(), accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || response.body === null) throw await failure(response);
  hooks.onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    hooks.onChunk?.();
    buffer += value.replaceAll('\r\n', '\n');
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
      end = buffer.indexOf('\n\n');
    }
  }
}

/** A message to show for any error thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message !== '') return error.message;
  return 'Something went wrong. Try again.';
}
