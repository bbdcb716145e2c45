import { type ConnectionState, ConnectionStateSchema } from '@parley/bus';
import { isLiveSession, type SessionState } from '@parley/contract';
import { type BackoffPolicy, reconnectDelayMs } from './backoff.js';

/** A number's WhatsApp connection, as stored in `numbers.state` and `session_events` (schema on the bus). */
export type { ConnectionState };

export const CONNECTION_STATES: readonly ConnectionState[] = ConnectionStateSchema.anyOf.map(
  (state) => state.const,
);

/** What can happen to a connection: the client's events, timers, and the manager's decisions. */
export type ConnectionEvent =
  /** Connect (admin, or this process took the number). */
  | { type: 'start' }
  /** A reconnect's backoff has passed. */
  | { type: 'reconnect_due' }
  /** WhatsApp asks to log in (QR or pairing code); `hadSession`: a saved session was loaded. */
  | { type: 'login_requested'; hadSession: boolean }
  | { type: 'authenticated' }
  | { type: 'ready' }
  | { type: 'disconnected'; reason: string }
  /** The page lost its connection to WhatsApp (`TIMEOUT`, `OPENING`): WhatsApp Web reconnects by itself. */
  | { type: 'link_down'; state: string }
  /** The page is `CONNECTED` again. */
  | { type: 'link_up' }
  | { type: 'auth_failure'; message: string }
  /** Launching failed; `fatal` when retrying cannot help (no Chromium at the configured path). */
  | { type: 'init_failed'; error: string; fatal: boolean }
  | { type: 'ready_timeout' }
  | { type: 'qr_timeout' }
  | { type: 'restart'; reason: 'memory' | 'schedule' }
  | { type: 'logout' }
  | { type: 'stop'; reason: string }
  | { type: 'lease_lost' }
  | { type: 'session_unreadable'; error: string };

/** Work the number's driver does for a transition, in order. */
export type ConnectionAction =
  | { type: 'launch' }
  /** Close the browser: `kill` at once (ownership lost), `backup` the session once it is closed. */
  | { type: 'close'; kill: boolean; backup: boolean }
  /** Unlink the device on the phone, then close. */
  | { type: 'logout_client' }
  | { type: 'schedule_reconnect'; delayMs: number }
  | { type: 'arm_ready_timer' }
  | { type: 'arm_qr_timer' }
  | { type: 'clear_timers' }
  | { type: 'schedule_backup' }
  | { type: 'delete_session' }
  /** Stop trying (desired_connected = false) and let go of the number. */
  | { type: 'give_up' };

export interface ConnectionContext {
  state: ConnectionState;
  /** Failed attempts since the last `ready` (drives the backoff). */
  attempts: number;
  /** Consecutive launches whose `ready` never came. */
  readyTimeouts: number;
  /** `reconnecting` because the link dropped under a live client (not a browser restart). */
  linkDown?: boolean;
}

export interface ConnectionPolicy extends BackoffPolicy {
  maxReadyTimeouts: number;
}

export interface Transition {
  context: ConnectionContext;
  actions: ConnectionAction[];
  /** Why, for the session event and the admin. */
  detail?: string;
}

export const INITIAL_CONNECTION: ConnectionContext = { state: 'disconnected', attempts: 0, readyTimeouts: 0 };

/** Reasons WhatsApp gives that mean the device was unlinked: a new QR is needed. */
const LOGGED_OUT_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);
/** Reasons no reconnect can fix. */
const FATAL_REASONS: Record<string, string> = {
  TOS_BLOCK: 'WhatsApp blocked this number (terms of service)',
  SMB_TOS_BLOCK: 'WhatsApp blocked this business number (terms of service)',
  DEPRECATED_VERSION: 'WhatsApp rejected the pinned WhatsApp Web version as outdated',
  PROXYBLOCK: 'WhatsApp refused the connection (proxy blocked)',
};

const close = (options: Partial<{ kill: boolean; backup: boolean }> = {}): ConnectionAction => ({
  type: 'close',
  kill: options.kill ?? false,
  backup: options.backup ?? false,
});

function to(
  context: ConnectionContext,
  state: ConnectionState,
  actions: ConnectionAction[],
  detail?: string,
): Transition {
  return { context: { ...context, state }, actions, ...(detail === undefined ? {} : { detail }) };
}

function retry(
  context: ConnectionContext,
  policy: ConnectionPolicy,
  detail: string,
  random: () => number,
): Transition {
  const attempts = context.attempts + 1;
  return {
    context: { ...context, state: 'reconnecting', attempts },
    actions: [
      { type: 'clear_timers' },
      close(),
      { type: 'schedule_reconnect', delayMs: reconnectDelayMs(attempts, policy, random) },
    ],
    detail,
  };
}

const unchanged = (context: ConnectionContext): Transition => ({ context, actions: [] });

const loggedOut = (context: ConnectionContext, detail: string): Transition =>
  to(
    context,
    'logged_out',
    [{ type: 'clear_timers' }, close(), { type: 'delete_session' }, { type: 'give_up' }],
    detail,
  );

const failed = (context: ConnectionContext, detail: string): Transition =>
  to(context, 'failed', [{ type: 'clear_timers' }, close(), { type: 'give_up' }], detail);

/**
 * The connection state machine: `disconnected → starting → qr_pending → connected`, `connected →
 * reconnecting → connected`, `→ logged_out` (a new QR is needed), `→ failed`. Pure: the caller
 * persists and publishes the new state and performs the actions in order.
 */
export function nextConnection(
  context: ConnectionContext,
  event: ConnectionEvent,
  policy: ConnectionPolicy,
  random: () => number = Math.random,
): Transition {
  const transition = step(context, event, policy, random);
  // Only a link drop marks the context; any other change clears the mark (a restart's `CONNECTED`
  // must not count as `ready`).
  if (transition.context === context || transition.context.linkDown !== true || event.type === 'link_down')
    return transition;
  const { linkDown: _, ...rest } = transition.context;
  return { ...transition, context: rest };
}

function step(
  context: ConnectionContext,
  event: ConnectionEvent,
  policy: ConnectionPolicy,
  random: () => number,
): Transition {
  const { state } = context;
  const running = isLiveSession(state);
  switch (event.type) {
    case 'start':
      if (running) return unchanged(context);
      return {
        context: { state: 'starting', attempts: 0, readyTimeouts: 0 },
        actions: [{ type: 'launch' }, { type: 'arm_ready_timer' }],
      };
    case 'reconnect_due':
      if (state !== 'reconnecting') return unchanged(context);
      return { context, actions: [{ type: 'launch' }, { type: 'arm_ready_timer' }] };
    case 'login_requested':
      if (!running) return unchanged(context);
      // A saved session that WhatsApp no longer accepts: say so, instead of a QR nobody watches.
      if (event.hadSession)
        return loggedOut(context, 'WhatsApp asked to log in again: the saved session is no longer valid');
      if (state === 'qr_pending') return unchanged(context);
      return to(context, 'qr_pending', [{ type: 'clear_timers' }, { type: 'arm_qr_timer' }]);
    case 'authenticated':
      if (!running) return unchanged(context);
      // Scanned: now the phone syncs, and `ready` has its full time again.
      return { context, actions: [{ type: 'clear_timers' }, { type: 'arm_ready_timer' }] };
    case 'ready':
      if (!running || state === 'connected') return unchanged(context);
      return {
        context: { state: 'connected', attempts: 0, readyTimeouts: 0 },
        actions: [{ type: 'clear_timers' }, { type: 'schedule_backup' }],
      };
    case 'disconnected': {
      if (!running) return unchanged(context);
      if (LOGGED_OUT_REASONS.has(event.reason))
        return loggedOut(context, `Logged out on the phone (${event.reason})`);
      const fatal = FATAL_REASONS[event.reason];
      if (fatal !== undefined) return failed(context, fatal);
      return retry(context, policy, `Disconnected (${event.reason})`, random);
    }
    case 'link_down':
      // WhatsApp Web retries by itself; sends wait until it is back (`link_up`).
      if (state !== 'connected') return unchanged(context);
      return to(
        { ...context, linkDown: true },
        'reconnecting',
        [],
        `Lost the connection to WhatsApp (${event.state}); WhatsApp Web is reconnecting`,
      );
    case 'link_up':
      if (state !== 'reconnecting' || context.linkDown !== true) return unchanged(context);
      return {
        context: { state: 'connected', attempts: 0, readyTimeouts: 0 },
        actions: [{ type: 'clear_timers' }, { type: 'schedule_backup' }],
      };
    case 'auth_failure':
      if (!running) return unchanged(context);
      return loggedOut(context, `The saved session was refused: ${event.message}`);
    case 'init_failed':
      if (!running) return unchanged(context);
      if (event.fatal) return failed(context, event.error);
      return retry(context, policy, `Could not start WhatsApp Web: ${event.error}`, random);
    case 'ready_timeout': {
      if (state !== 'starting' && state !== 'reconnecting') return unchanged(context);
      const readyTimeouts = context.readyTimeouts + 1;
      if (readyTimeouts >= policy.maxReadyTimeouts) {
        return failed(
          { ...context, readyTimeouts },
          `WhatsApp Web never became ready (${readyTimeouts} tries); the pinned version may be outdated`,
        );
      }
      return retry(
        { ...context, readyTimeouts },
        policy,
        'WhatsApp Web did not become ready in time',
        random,
      );
    }
    case 'qr_timeout':
      if (state !== 'qr_pending') return unchanged(context);
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close(), { type: 'give_up' }],
        'Nobody linked the device in time',
      );
    case 'restart':
      if (state !== 'connected') return unchanged(context);
      return {
        context: { ...context, state: 'reconnecting', attempts: 0 },
        actions: [
          { type: 'clear_timers' },
          close({ backup: true }),
          { type: 'schedule_reconnect', delayMs: 0 },
        ],
        detail:
          event.reason === 'memory' ? 'Restarting: the browser uses too much memory' : 'Scheduled restart',
      };
    case 'logout':
      if (running) {
        return to(
          context,
          'logged_out',
          [
            { type: 'clear_timers' },
            { type: 'logout_client' },
            { type: 'delete_session' },
            { type: 'give_up' },
          ],
          'Logged out by an admin',
        );
      }
      return to(
        context,
        'logged_out',
        [{ type: 'delete_session' }, { type: 'give_up' }],
        'Logged out by an admin',
      );
    case 'stop':
      // A failed or logged-out number keeps saying so; only a running one becomes disconnected.
      if (!running) return { context, actions: [{ type: 'clear_timers' }, close()] };
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close({ backup: state === 'connected' || context.linkDown === true })],
        event.reason,
      );
    case 'lease_lost':
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close({ kill: true })],
        'This runtime lost the ownership of the number',
      );
    case 'session_unreadable':
      return failed(context, `The saved session could not be read: ${event.error}`);
  }
}
