import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.js';
import {
  attemptBound,
  type ConnectionContext,
  type ConnectionEvent,
  type ConnectionState,
  INITIAL_CONNECTION,
  nextConnection,
} from './connection-state.js';

const policy = {
  baseMs: 1000,
  maxMs: 60_000,
  maxReadyTimeouts: 3,
  maxAttempts: 10,
  maxAttemptsConnected: 20,
};
const half = () => 0.5;
const at = (state: ConnectionState, extra: Partial<ConnectionContext> = {}): ConnectionContext => ({
  ...INITIAL_CONNECTION,
  state,
  ...extra,
});
const step = (context: ConnectionContext, event: ConnectionEvent) =>
  nextConnection(context, event, policy, half);
const types = (context: ConnectionContext, event: ConnectionEvent) =>
  step(context, event).actions.map((a) => a.type);

describe('session state machine', () => {
  it('goes disconnected → starting → qr_pending → connected', () => {
    const starting = step(INITIAL_CONNECTION, { type: 'start' });
    expect(starting.context.state).toBe('starting');
    expect(starting.actions.map((a) => a.type)).toEqual(['launch', 'arm_ready_timer']);
    const qr = step(starting.context, { type: 'login_requested', hadSession: false });
    expect(qr.context.state).toBe('qr_pending');
    expect(qr.actions.map((a) => a.type)).toEqual(['clear_timers', 'arm_qr_timer']);
    // A refreshed QR is not a transition.
    expect(step(qr.context, { type: 'login_requested', hadSession: false }).actions).toEqual([]);
    expect(types(qr.context, { type: 'authenticated' })).toEqual(['clear_timers', 'arm_ready_timer']);
    const connected = step(qr.context, { type: 'ready' });
    expect(connected.context).toEqual({
      state: 'connected',
      attempts: 0,
      readyTimeouts: 0,
      wasConnected: true,
    });
    expect(connected.actions.map((a) => a.type)).toEqual(['clear_timers', 'schedule_backup']);
  });

  it('shows a dropped link as reconnecting and goes back to connected when it returns', () => {
    const down = step(at('connected'), { type: 'link_down', state: 'TIMEOUT' });
    expect(down.context).toMatchObject({ state: 'reconnecting', linkDown: true });
    // The browser stays: WhatsApp Web reconnects by itself.
    expect(down.actions).toEqual([]);
    expect(down.detail).toMatch(/TIMEOUT/);
    expect(step(down.context, { type: 'link_down', state: 'OPENING' }).actions).toEqual([]);
    const up = step(down.context, { type: 'link_up' });
    expect(up.context).toEqual({ state: 'connected', attempts: 0, readyTimeouts: 0, wasConnected: true });
    expect(up.actions.map((a) => a.type)).toEqual(['clear_timers', 'schedule_backup']);
    // A stop while the link is down still saves the (logged-in) session.
    expect(
      step(down.context, { type: 'stop', reason: 'bye', code: 'runtime_stopped' }).actions,
    ).toContainEqual({
      type: 'close',
      kill: false,
      backup: true,
    });
    // Only a link drop comes back on `CONNECTED`: a restarting browser waits for `ready`.
    const crashed = step(down.context, { type: 'disconnected', reason: 'BROWSER_CLOSED' });
    expect(crashed.context.linkDown).toBeUndefined();
    expect(step(crashed.context, { type: 'link_up' }).actions).toEqual([]);
    expect(step(at('starting'), { type: 'link_up' }).context.state).toBe('starting');
    expect(step(at('starting'), { type: 'link_down', state: 'OPENING' }).context.state).toBe('starting');
  });

  it('restores a saved session straight to connected', () => {
    expect(step(at('starting'), { type: 'ready' }).context.state).toBe('connected');
  });

  it('reconnects with backoff after a drop, and back to connected', () => {
    const drop = step(at('connected'), { type: 'disconnected', reason: 'CONFLICT' });
    expect(drop.context).toMatchObject({ state: 'reconnecting', attempts: 1 });
    expect(drop.actions).toEqual([
      { type: 'clear_timers' },
      { type: 'close', kill: false, backup: false },
      { type: 'schedule_reconnect', delayMs: 750 },
    ]);
    const again = step(drop.context, { type: 'init_failed', error: 'net::ERR_CONNECTION_RESET' });
    expect(again.context.attempts).toBe(2);
    expect(again.actions.at(-1)).toEqual({ type: 'schedule_reconnect', delayMs: 1500 });
    expect(types(again.context, { type: 'reconnect_due' })).toEqual(['launch', 'arm_ready_timer']);
    expect(step(again.context, { type: 'ready' }).context).toEqual({
      state: 'connected',
      attempts: 0,
      readyTimeouts: 0,
      wasConnected: true,
    });
  });

  it('needs a new QR when the phone logs the device out, and forgets the session', () => {
    for (const reason of ['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']) {
      const out = step(at('connected'), { type: 'disconnected', reason });
      expect(out.context.state).toBe('logged_out');
      expect(out.actions.map((a) => a.type)).toEqual(['clear_timers', 'close', 'delete_session', 'give_up']);
    }
  });

  it('treats a QR request on a restored session as logged out (no QR nobody watches)', () => {
    expect(step(at('starting'), { type: 'login_requested', hadSession: true }).context.state).toBe(
      'logged_out',
    );
    expect(step(at('reconnecting'), { type: 'login_requested', hadSession: true }).context.state).toBe(
      'logged_out',
    );
  });

  it('fails for good on a ban, an outdated version, or a missing browser', () => {
    expect(step(at('connected'), { type: 'disconnected', reason: 'TOS_BLOCK' }).context.state).toBe('failed');
    expect(step(at('starting'), { type: 'disconnected', reason: 'DEPRECATED_VERSION' }).context.state).toBe(
      'failed',
    );
    const fatal = step(at('starting'), { type: 'init_failed', error: 'spawn /usr/bin/chromium ENOENT' });
    expect(fatal.context.state).toBe('failed');
    expect(fatal.reason).toEqual({ code: 'browser_missing', detail: 'spawn /usr/bin/chromium ENOENT' });
    expect(fatal.actions.map((a) => a.type)).toContain('give_up');
  });

  it('on auth failure asks for a new login', () => {
    expect(step(at('starting'), { type: 'auth_failure', message: 'bad' }).context.state).toBe('logged_out');
  });

  it('restarts a browser whose ready never comes, then gives up after maxReadyTimeouts', () => {
    let context = step(INITIAL_CONNECTION, { type: 'start' }).context;
    for (let i = 1; i < policy.maxReadyTimeouts; i++) {
      const t = step(context, { type: 'ready_timeout' });
      expect(t.context).toMatchObject({ state: 'reconnecting', readyTimeouts: i });
      expect(t.actions.map((a) => a.type)).toEqual(['clear_timers', 'close', 'schedule_reconnect']);
      context = t.context;
    }
    const last = step(context, { type: 'ready_timeout' });
    expect(last.context.state).toBe('failed');
    expect(last.detail).toMatch(/never became ready/);
    // A connected session ignores a stale ready timer.
    expect(step(at('connected'), { type: 'ready_timeout' }).actions).toEqual([]);
  });

  it('drops an unscanned QR after its timeout', () => {
    const t = step(at('qr_pending'), { type: 'qr_timeout' });
    expect(t.context.state).toBe('disconnected');
    expect(t.actions.map((a) => a.type)).toEqual(['clear_timers', 'close', 'give_up']);
  });

  it('restarts a connected browser (memory, schedule) saving the session, at once', () => {
    const t = step(at('connected'), { type: 'restart', reason: 'memory' });
    expect(t.context.state).toBe('reconnecting');
    expect(t.actions).toEqual([
      { type: 'clear_timers' },
      { type: 'close', kill: false, backup: true },
      { type: 'schedule_reconnect', delayMs: 0 },
    ]);
    expect(step(at('starting'), { type: 'restart', reason: 'schedule' }).actions).toEqual([]);
  });

  it('logs out on request, from any state', () => {
    expect(types(at('connected'), { type: 'logout' })).toEqual([
      'clear_timers',
      'logout_client',
      'delete_session',
      'give_up',
    ]);
    expect(step(at('failed'), { type: 'logout' }).context.state).toBe('logged_out');
  });

  it('stops: a running session saves and disconnects; failed and logged out stay as they are', () => {
    const stop = step(at('connected'), { type: 'stop', reason: 'shutdown', code: 'runtime_stopped' });
    expect(stop.context.state).toBe('disconnected');
    expect(stop.actions).toContainEqual({ type: 'close', kill: false, backup: true });
    expect(
      step(at('qr_pending'), { type: 'stop', reason: 'x', code: 'admin_cancel' }).actions,
    ).toContainEqual({
      type: 'close',
      kill: false,
      backup: false,
    });
    expect(step(at('failed'), { type: 'stop', reason: 'x', code: 'admin_cancel' }).context.state).toBe(
      'failed',
    );
  });

  it('kills the browser at once when ownership is lost', () => {
    const t = step(at('connected'), { type: 'lease_lost' });
    expect(t.context.state).toBe('disconnected');
    expect(t.actions).toContainEqual({ type: 'close', kill: true, backup: false });
  });

  it('fails instead of replacing a session it cannot decrypt', () => {
    expect(step(at('starting'), { type: 'session_unreadable', error: 'wrong key' }).context.state).toBe(
      'failed',
    );
  });

  it('ignores client events when not running, and a second start', () => {
    for (const state of ['disconnected', 'logged_out', 'failed'] as const) {
      expect(step(at(state), { type: 'ready' }).actions).toEqual([]);
      expect(step(at(state), { type: 'disconnected', reason: 'CONFLICT' }).actions).toEqual([]);
    }
    expect(step(at('connected'), { type: 'start' }).actions).toEqual([]);
  });
});

describe('bounded attempts, each with its reason', () => {
  const bounded = { ...policy, maxAttempts: 3, maxAttemptsConnected: 5 };
  const attempt = (context: ConnectionContext, event: ConnectionEvent) =>
    nextConnection(context, event, bounded, half);

  it('retries an unreachable WhatsApp Web with a reason each time, then fails with it', () => {
    const started = attempt(INITIAL_CONNECTION, { type: 'start' }).context;
    const first = attempt(started, {
      type: 'unreachable',
      error: 'the name web.whatsapp.com could not be found',
    });
    expect(first.context).toMatchObject({ state: 'reconnecting', attempts: 1 });
    expect(first.reason).toEqual({
      code: 'web_unreachable',
      detail: 'the name web.whatsapp.com could not be found',
    });
    expect(first.actions.map((a) => a.type)).toEqual(['clear_timers', 'close', 'schedule_reconnect']);
    // The second failure stays in `reconnecting`, and still says why (the driver records it).
    const second = attempt(first.context, { type: 'unreachable', error: 'ECONNREFUSED' });
    expect(second.context).toMatchObject({ state: 'reconnecting', attempts: 2 });
    expect(second.reason?.code).toBe('web_unreachable');
    const last = attempt(second.context, { type: 'unreachable', error: 'ECONNREFUSED' });
    expect(last.context).toMatchObject({ state: 'failed', attempts: 3 });
    expect(last.reason).toEqual({ code: 'web_unreachable', detail: 'ECONNREFUSED' });
    expect(last.detail).toMatch(/gave up after 3 attempts/);
    expect(last.actions.map((a) => a.type)).toEqual(['clear_timers', 'close', 'give_up']);
    // Try again: a start from failed begins a new round of attempts.
    expect(attempt(last.context, { type: 'start' }).context).toEqual({
      state: 'starting',
      attempts: 0,
      readyTimeouts: 0,
    });
  });

  it('counts every kind of failed attempt, and a connection resets the count', () => {
    let context = attempt(at('connected'), { type: 'disconnected', reason: 'BROWSER_CLOSED' }).context;
    context = attempt(context, {
      type: 'init_failed',
      error: 'net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/',
    }).context;
    expect(context.attempts).toBe(2);
    expect(attempt(context, { type: 'ready' }).context.attempts).toBe(0);
    const failed = attempt(context, { type: 'ready_timeout' });
    expect(failed.context.state).toBe('failed');
    expect(failed.reason?.code).toBe('ready_timeout');
  });

  it('gives each transition a reason code', () => {
    const reasonOf = (context: ConnectionContext, event: ConnectionEvent) =>
      step(context, event).reason?.code;
    expect(reasonOf(at('connected'), { type: 'disconnected', reason: 'LOGOUT' })).toBe('logged_out_on_phone');
    expect(reasonOf(at('connected'), { type: 'disconnected', reason: 'CONFLICT' })).toBe('opened_elsewhere');
    expect(reasonOf(at('connected'), { type: 'disconnected', reason: 'PAGE_CRASHED' })).toBe(
      'browser_crashed',
    );
    expect(reasonOf(at('connected'), { type: 'disconnected', reason: 'TOS_BLOCK' })).toBe('blocked');
    expect(reasonOf(at('starting'), { type: 'disconnected', reason: 'DEPRECATED_VERSION' })).toBe(
      'web_version_unsupported',
    );
    expect(reasonOf(at('connected'), { type: 'link_down', state: 'TIMEOUT' })).toBe('link_lost');
    expect(reasonOf(at('starting'), { type: 'auth_failure', message: 'x' })).toBe('session_refused');
    expect(reasonOf(at('qr_pending'), { type: 'qr_timeout' })).toBe('login_timeout');
    expect(reasonOf(at('connected'), { type: 'restart', reason: 'memory' })).toBe('out_of_memory');
    expect(reasonOf(at('connected'), { type: 'logout' })).toBe('admin_logout');
    expect(reasonOf(at('reconnecting'), { type: 'stop', reason: 'x', code: 'admin_cancel' })).toBe(
      'admin_cancel',
    );
    expect(reasonOf(at('connected'), { type: 'lease_lost' })).toBe('held_elsewhere');
    expect(reasonOf(at('starting'), { type: 'session_unreadable', error: 'bad key' })).toBe(
      'session_unreadable',
    );
    // Reaching a working state explains nothing.
    expect(step(at('starting'), { type: 'ready' }).reason).toBeUndefined();
    expect(step(at('starting'), { type: 'login_requested', hadSession: false }).reason).toBeUndefined();
  });

  it('cancels a connection in progress without deleting a saved session', () => {
    for (const state of ['starting', 'qr_pending', 'reconnecting'] as const) {
      const cancel = step(at(state), { type: 'stop', reason: 'Cancelled', code: 'admin_cancel' });
      expect(cancel.context.state).toBe('disconnected');
      expect(cancel.actions.map((a) => a.type)).not.toContain('delete_session');
    }
  });
});

describe('reconnectDelayMs', () => {
  it('doubles from the base, capped, with jitter in the upper half', () => {
    const policy = { baseMs: 1000, maxMs: 10_000 };
    expect(reconnectDelayMs(0, policy)).toBe(0);
    expect(reconnectDelayMs(1, policy, () => 0)).toBe(500);
    expect(reconnectDelayMs(1, policy, () => 1)).toBe(1000);
    expect(reconnectDelayMs(3, policy, () => 1)).toBe(4000);
    expect(reconnectDelayMs(30, policy, () => 1)).toBe(10_000);
    for (let attempt = 1; attempt < 40; attempt++) {
      const delay = reconnectDelayMs(attempt, policy);
      const cap = Math.min(10_000, 1000 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(cap / 2);
      expect(delay).toBeLessThanOrEqual(cap);
    }
  });
});

describe('a number that was connected keeps trying longer', () => {
  const bounded = { ...policy, maxAttempts: 3, maxAttemptsConnected: 5 };
  const attempt = (context: ConnectionContext, event: ConnectionEvent) =>
    nextConnection(context, event, bounded, half);

  it('gets maxAttemptsConnected after a drop, and the short bound again once logged out', () => {
    let context = attempt(INITIAL_CONNECTION, { type: 'start' }).context;
    context = attempt(context, { type: 'ready' }).context;
    expect(attemptBound(context, bounded)).toBe(5);
    for (let i = 1; i <= 4; i++) {
      context = attempt(context, { type: 'disconnected', reason: 'NAVIGATION' }).context;
      expect(context).toMatchObject({ state: 'reconnecting', attempts: i });
    }
    context = attempt(context, { type: 'disconnected', reason: 'NAVIGATION' }).context;
    expect(context).toMatchObject({ state: 'failed', attempts: 5 });

    let again = attempt(INITIAL_CONNECTION, { type: 'start' }).context;
    again = attempt(again, { type: 'ready' }).context;
    again = attempt(again, { type: 'disconnected', reason: 'LOGOUT' }).context;
    expect(again.state).toBe('logged_out');
    expect(attemptBound(again, bounded)).toBe(3);
  });
});
