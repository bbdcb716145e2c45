import type { InboxEvent } from '@parley/contract';
import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import { hasRole, sessionStore } from '../store/session-store';
import { ApiError, streamEvents } from './client';

/**
 * How the tab's one inbox stream is doing: `live` while events arrive, `retrying` after a drop
 * (quietly, for a few seconds), `lost` when it could not come back: the screens say so then.
 */
export type InboxStreamState = 'connecting' | 'live' | 'retrying' | 'lost';

interface StreamStatus {
  state: InboxStreamState;
  /** Why it is lost, in words; null otherwise. */
  problem: string | null;
}

export const useInboxStreamStatus = create<StreamStatus>(() => ({ state: 'connecting', problem: null }));

export interface InboxListener {
  onActivity: (activity: InboxEvent) => void;
  /** The stream came back after a drop: events may have been missed, so read everything again. */
  onResync: () => void;
}

/** After this many failed tries in a row the stream counts as lost (it keeps trying). */
const QUIET_TRIES = 3;
const MAX_DELAY_MS = 15_000;
/** The server writes a keep-alive every 15 s: this long without anything, the connection is dead. */
const SILENCE_MS = 45_000;

const listeners = new Set<InboxListener>();
let controller: AbortController | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let failures = 0;
let stopSessionWatch: (() => void) | null = null;

function isActivity(value: unknown): value is InboxEvent {
  const candidate = value as Partial<InboxEvent> | null;
  return typeof candidate?.conversationId === 'string' && typeof candidate.kind === 'string';
}

function setStatus(state: InboxStreamState, problem: string | null = null): void {
  useInboxStreamStatus.setState({ state, problem });
}

function follow(): void {
  controller?.abort();
  const current = new AbortController();
  controller = current;
  clearTimeout(retryTimer);
  const wasDown = failures > 0;
  let silent = false;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  // A connection can die without an error (a laptop asleep, a proxy dropping it): silence ends it.
  const onChunk = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      silent = true;
      current.abort();
    }, SILENCE_MS);
  };
  current.signal.addEventListener('abort', () => clearTimeout(watchdog));
  const onOpen = () => {
    onChunk();
    failures = 0;
    setStatus('live');
    if (wasDown) for (const listener of listeners) listener.onResync();
  };
  const onEvent = (_event: string, data: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      // Not an activity (a keep-alive the server may send): nothing to show.
      return;
    }
    if (isActivity(parsed)) for (const listener of listeners) listener.onActivity(parsed);
  };
  streamEvents('/inbox/events', onEvent, current.signal, { onOpen, onChunk })
    .then(() => 'The live updates stopped.')
    .catch((error: unknown) => {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        // Signed out or no longer allowed: trying again cannot help.
        setStatus('lost', error.message);
        return null;
      }
      return error instanceof ApiError ? error.message : 'The connection to Parley dropped.';
    })
    .then((problem) => {
      if ((current.signal.aborted && !silent) || problem === null) return;
      failures += 1;
      setStatus(failures >= QUIET_TRIES ? 'lost' : 'retrying', problem);
      retryTimer = setTimeout(follow, Math.min(1000 * 2 ** (failures - 1), MAX_DELAY_MS));
    });
}

function start(): void {
  failures = 0;
  setStatus('connecting');
  follow();
  let { token, workspaceId } = sessionStore.getState();
  // Events are per workspace: a switch (or a new sign-in) follows the new one's stream, once the
  // person's role there is known and lets them hear it (a viewer would only be refused).
  stopSessionWatch = sessionStore.subscribe((session) => {
    if (session.token === null) {
      stop();
      return;
    }
    if (session.token === token && session.workspaceId === workspaceId) return;
    controller?.abort();
    clearTimeout(retryTimer);
    if (session.me === null) return;
    ({ token, workspaceId } = session);
    if (hasRole(session.me, 'agent')) follow();
  });
}

function stop(): void {
  controller?.abort();
  controller = null;
  clearTimeout(retryTimer);
  stopSessionWatch?.();
  stopSessionWatch = null;
}

/** Listens to the workspace's inbox events; one stream per tab however many listen. */
export function listenToInbox(listener: InboxListener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) start();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) stop();
  };
}

/** Try again now, without waiting for the next attempt (the "Try again" button of a lost stream). */
export function reconnectInbox(): void {
  if (listeners.size === 0) return;
  setStatus('connecting');
  follow();
}

/** Calls the latest `listener` for each inbox event while `enabled`. */
export function useInboxActivity(listener: InboxListener, enabled = true): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    if (!enabled) return;
    return listenToInbox({
      onActivity: (activity) => latest.current.onActivity(activity),
      onResync: () => latest.current.onResync(),
    });
  }, [enabled]);
}
