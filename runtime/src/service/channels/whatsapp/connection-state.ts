import { type ConnectionState, ConnectionStateSchema } from '@parley/bus';
import { isLiveSession, MEMORY_RESTART_DETAIL } from '@parley/contract';
import { type BackoffPolicy, reconnectDelayMs } from './backoff.js';
import { isFatalReason, type ReasonCause, reasonCodeOfError } from './connection-reasons.js';

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
  /** Launching the browser or loading WhatsApp Web failed (the error says why). */
  | { type: 'init_failed'; error: string }
  /** The check before launching found WhatsApp Web out of reach: no browser was started. */
  | { type: 'unreachable'; error: string }
  | { type: 'ready_timeout' }
  | { type: 'qr_timeout' }
  | { type: 'restart'; reason: 'memory' | 'schedule' }
  | { type: 'logout' }
  /** Stop trying and close the browser, keeping a saved session (an admin's Cancel, a shutdown). */
  | { type: 'stop'; reason: string; code: 'admin_cancel' | 'runtime_stopped' }
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
  /** Failed attempts since the last `ready` (drives the backoff; `maxAttempts` of them fail the number). */
  attempts: number;
  /** Consecutive launches whose `ready` never came. */
  readyTimeouts: number;
  /** `reconnecting` because the link dropped under a live client (not a browser restart). */
  linkDown?: boolean;
  /** The number reached `connected` since it was last started: it gets `maxAttemptsConnected`. */
  wasConnected?: boolean;
}

export interface ConnectionPolicy extends BackoffPolicy {
  maxReadyTimeouts: number;
  /** Failed attempts in a row after which the number is `failed` instead of retried. */
  maxAttempts: number;
  /**
   * The same, for a number that was connected: a dropped link (a router restart, a short outage)
   * usually comes back, and a number that stops serving needs a person, so it keeps trying longer.
   */
  maxAttemptsConnected: number;
}

/** How many failed attempts in a row this number gets before it is `failed`. */
export function attemptBound(context: ConnectionContext, policy: ConnectionPolicy): number {
  return context.wasConnected === true ? policy.maxAttemptsConnected : policy.maxAttempts;
}

export interface Transition {
  context: ConnectionContext;
  actions: ConnectionAction[];
  /** Why, for the session event and the log. */
  detail?: string;
  /** Why, for the admin: recorded even when the state stays the same (a retry). */
  reason?: ReasonCause;
}

export const INITIAL_CONNECTION: ConnectionContext = { state: 'disconnected', attempts: 0, readyTimeouts: 0 };

/** Reasons WhatsApp gives that mean the device was unlinked: a new QR is needed. */
const LOGGED_OUT_REASONS = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);
/** Reasons no reconnect can fix. */
const FATAL_REASONS: Record<string, { detail: string; code: ReasonCause['code'] }> = {
  TOS_BLOCK: { detail: 'WhatsApp blocked this number (terms of service)', code: 'blocked' },
  SMB_TOS_BLOCK: { detail: 'WhatsApp blocked this business number (terms of service)', code: 'blocked' },
  DEPRECATED_VERSION: {
    detail: 'WhatsApp rejected the pinned WhatsApp Web version as outdated',
    code: 'web_version_unsupported',
  },
  PROXYBLOCK: { detail: 'WhatsApp refused the connection (proxy blocked)', code: 'web_unreachable' },
};

/** The reason code of a disconnect WhatsApp Web reported that a reconnect may fix. */
function codeOfDisconnect(reason: string): ReasonCause['code'] {
  if (reason === 'CONFLICT') return 'opened_elsewhere';
  if (reason === 'BROWSER_CLOSED' || reason === 'PAGE_CRASHED') return 'browser_crashed';
  return 'link_lost';
}

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
  reason?: ReasonCause,
): Transition {
  return {
    context: { ...context, state },
    actions,
    ...(detail === undefined ? {} : { detail }),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A failed attempt: another one after the backoff, or `failed` once `maxAttempts` have failed. */
function retry(
  context: ConnectionContext,
  policy: ConnectionPolicy,
  detail: string,
  reason: ReasonCause,
  random: () => number,
): Transition {
  const attempts = context.attempts + 1;
  if (attempts >= attemptBound(context, policy))
    return failed({ ...context, attempts }, `${detail} (gave up after ${attempts} attempts)`, reason);
  return {
    context: { ...context, state: 'reconnecting', attempts },
    actions: [
      { type: 'clear_timers' },
      close(),
      { type: 'schedule_reconnect', delayMs: reconnectDelayMs(attempts, policy, random) },
    ],
    detail,
    reason,
  };
}

const unchanged = (context: ConnectionContext): Transition => ({ context, actions: [] });

const loggedOut = (context: ConnectionContext, detail: string, code: ReasonCause['code']): Transition =>
  to(
    { ...context, wasConnected: false },
    'logged_out',
    [{ type: 'clear_timers' }, close(), { type: 'delete_session' }, { type: 'give_up' }],
    detail,
    { code, detail },
  );

function failed(context: ConnectionContext, detail: string, reason: ReasonCause): Transition {
  return to(context, 'failed', [{ type: 'clear_timers' }, close(), { type: 'give_up' }], detail, reason);
}

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
        return loggedOut(
          context,
          'WhatsApp asked to log in again: the saved session is no longer valid',
          'session_refused',
        );
      if (state === 'qr_pending') return unchanged(context);
      return to(context, 'qr_pending', [{ type: 'clear_timers' }, { type: 'arm_qr_timer' }]);
    case 'authenticated':
      if (!running) return unchanged(context);
      // Scanned: now the phone syncs, and `ready` has its full time again.
      return { context, actions: [{ type: 'clear_timers' }, { type: 'arm_ready_timer' }] };
    case 'ready':
      if (!running || state === 'connected') return unchanged(context);
      return {
        context: { state: 'connected', attempts: 0, readyTimeouts: 0, wasConnected: true },
        actions: [{ type: 'clear_timers' }, { type: 'schedule_backup' }],
      };
    case 'disconnected': {
      if (!running) return unchanged(context);
      if (LOGGED_OUT_REASONS.has(event.reason))
        return loggedOut(context, `Logged out on the phone (${event.reason})`, 'logged_out_on_phone');
      const fatal = FATAL_REASONS[event.reason];
      if (fatal !== undefined)
        return failed(context, fatal.detail, { code: fatal.code, detail: fatal.detail });
      const detail = `Disconnected (${event.reason})`;
      return retry(context, policy, detail, { code: codeOfDisconnect(event.reason), detail }, random);
    }
    case 'link_down':
      // WhatsApp Web retries by itself; sends wait until it is back (`link_up`).
      if (state !== 'connected') return unchanged(context);
      return to(
        { ...context, linkDown: true },
        'reconnecting',
        [],
        `Lost the connection to WhatsApp (${event.state}); WhatsApp Web is reconnecting`,
        { code: 'link_lost', detail: `WhatsApp Web reports ${event.state}` },
      );
    case 'link_up':
      if (state !== 'reconnecting' || context.linkDown !== true) return unchanged(context);
      return {
        context: { state: 'connected', attempts: 0, readyTimeouts: 0, wasConnected: true },
        actions: [{ type: 'clear_timers' }, { type: 'schedule_backup' }],
      };
    case 'auth_failure':
      if (!running) return unchanged(context);
      return loggedOut(context, `The saved session was refused: ${event.message}`, 'session_refused');
    case 'init_failed': {
      if (!running) return unchanged(context);
      const reason: ReasonCause = { code: reasonCodeOfError(event.error), detail: event.error };
      if (isFatalReason(reason.code)) return failed(context, event.error, reason);
      return retry(context, policy, `Could not start WhatsApp Web: ${event.error}`, reason, random);
    }
    case 'unreachable':
      if (!running) return unchanged(context);
      return retry(
        context,
        policy,
        `WhatsApp Web is unreachable: ${event.error}`,
        { code: 'web_unreachable', detail: event.error },
        random,
      );
    case 'ready_timeout': {
      if (state !== 'starting' && state !== 'reconnecting') return unchanged(context);
      const readyTimeouts = context.readyTimeouts + 1;
      if (readyTimeouts >= policy.maxReadyTimeouts) {
        const detail = `WhatsApp Web never became ready (${readyTimeouts} tries); the pinned version may be outdated`;
        return failed({ ...context, readyTimeouts }, detail, { code: 'web_version_unsupported', detail });
      }
      const detail = 'WhatsApp Web did not become ready in time';
      return retry({ ...context, readyTimeouts }, policy, detail, { code: 'ready_timeout', detail }, random);
    }
    case 'qr_timeout':
      if (state !== 'qr_pending') return unchanged(context);
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close(), { type: 'give_up' }],
        'Nobody linked the device in time',
        { code: 'login_timeout' },
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
        detail: event.reason === 'memory' ? MEMORY_RESTART_DETAIL : 'Scheduled restart',
        reason: event.reason === 'memory' ? { code: 'out_of_memory' } : { code: 'scheduled_restart' },
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
          { code: 'admin_logout' },
        );
      }
      return to(
        context,
        'logged_out',
        [{ type: 'delete_session' }, { type: 'give_up' }],
        'Logged out by an admin',
        { code: 'admin_logout' },
      );
    case 'stop':
      // A failed or logged-out number keeps saying so; only a running one becomes disconnected.
      if (!running) return { context, actions: [{ type: 'clear_timers' }, close()] };
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close({ backup: state === 'connected' || context.linkDown === true })],
        event.reason,
        { code: event.code },
      );
    case 'lease_lost':
      return to(
        context,
        'disconnected',
        [{ type: 'clear_timers' }, close({ kill: true })],
        'This runtime lost the ownership of the number',
        { code: 'held_elsewhere' },
      );
    case 'session_unreadable':
      return failed(context, `The saved session could not be read: ${event.error}`, {
        code: 'session_unreadable',
        detail: event.error,
      });
  }
}
