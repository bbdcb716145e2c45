import { sessionStore } from '../store/session-store';

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
    const error = (payload as { error?: { code?: string; message?: string; details?: unknown } } | null)
      ?.error;
    const status = response.status;
    if (status === 401 && !options.anonymous) {
      sessionStore.getState().signOut(error?.message ?? 'Your session has ended. Sign in again.');
    }
    const message = error?.message ?? FRIENDLY[status] ?? `The request failed (${status}).`;
    throw new ApiError(status, error?.code ?? 'http_error', message, error?.details ?? null);
  }
  return { data: payload as T, headers: response.headers };
}

/** A message to show for any error thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message !== '') return error.message;
  return 'Something went wrong. Try again.';
}
