import { isLiveSession, type SessionReason } from '@parley/contract';
import QRCode from 'qrcode';
import type { Logger } from '../../ops/logger.js';
import { clearOrphans, killTree, type TreeMemory, treeMemory } from './browser-processes.js';
import { sessionReason } from './connection-reasons.js';
import type { ConnectionRecorder } from './connection-recorder.js';
import {
  attemptBound,
  type ConnectionAction,
  type ConnectionContext,
  type ConnectionEvent,
  type ConnectionPolicy,
  type ConnectionState,
  INITIAL_CONNECTION,
  nextConnection,
} from './connection-state.js';
import {
  hasSavedSession,
  type LoginProfileStore,
  LoginProfileUnreadableError,
} from './login-profile-store.js';
import type { NumberOwnership } from './number-ownership.js';
import { reachabilityError } from './reachability.js';
import type { WaClient, WaClientFactory, WaIncoming, WaVote } from './wa-client.js';
import { profileDirOf, type WhatsAppConfig } from './whatsapp-config.js';
import type { WhatsAppMetrics } from './whatsapp-metrics.js';

/** How an admin wants to link the device. */
export interface LoginRequest {
  method: 'qr' | 'pairing_code';
  /** For a pairing code: the number's phone, digits only. */
  phone?: string;
}

export interface NumberConnectionDeps {
  numberId: string;
  config: WhatsAppConfig;
  ownership: NumberOwnership;
  store: LoginProfileStore;
  recorder: ConnectionRecorder;
  metrics: WhatsAppMetrics;
  clientFactory: WaClientFactory;
  onMessage: (numberId: string, client: WaClient, message: WaIncoming) => void;
  onVote: (numberId: string, vote: WaVote) => void;
  onAck: (numberId: string, messageId: string, ack: number) => void;
  /** Connected: queued replies can go out. */
  onConnected: (numberId: string) => void;
  /** The number stops being wanted here (logged out, failed, QR expired). */
  onGiveUp: (numberId: string) => Promise<void>;
  logger: Logger;
  now?: () => number;
  random?: () => number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type TimerName = 'ready' | 'qr' | 'reconnect' | 'backup';

/**
 * Drives one number's connection: its whatsapp-web.js client through the connection state machine. Events are
 * handled one at a time (`dispatch`); the browser's launch runs in the background (a page that
 * never loads must not block the `ready` timeout that will close it), and closing never waits
 * in the browser-action queue.
 */
export class NumberConnection {
  private context: ConnectionContext = INITIAL_CONNECTION;
  private client: WaClient | null = null;
  private hadSession = false;
  private login: LoginRequest = { method: 'qr' };
  private lastCode: { qr?: string; pairingCode?: string } = {};
  private connectedAt: number | null = null;
  /** Why the number is in its state, as the admin sees it (null: nothing to explain). */
  private reason: SessionReason | null = null;
  /** The reachability check under way: a stop must not wait in the queue until it times out. */
  private checking: AbortController | null = null;
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();
  private readonly profileDir: string;
  private readonly policy: ConnectionPolicy;
  private readonly now: () => number;
  memory: TreeMemory | null = null;

  constructor(private readonly deps: NumberConnectionDeps) {
    this.profileDir = profileDirOf(deps.config.profilesDir, deps.numberId);
    this.policy = {
      baseMs: deps.config.reconnectBaseMs,
      maxMs: deps.config.reconnectMaxMs,
      maxReadyTimeouts: deps.config.maxReadyTimeouts,
      maxAttempts: deps.config.maxAttempts,
      maxAttemptsConnected: deps.config.maxAttemptsConnected,
    };
    this.now = deps.now ?? Date.now;
  }

  get numberId(): string {
    return this.deps.numberId;
  }

  get state(): ConnectionState {
    return this.context.state;
  }

  /** The client, while connected. */
  get connectedClient(): WaClient | null {
    return this.context.state === 'connected' ? this.client : null;
  }

  /** Handles an event after the ones before it; resolves once its actions are done. */
  dispatch(event: ConnectionEvent): Promise<void> {
    return this.serial(() => this.apply(event));
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work).catch((error: unknown) => {
      this.deps.logger.error({ err: error, numberId: this.numberId }, 'WhatsApp session step failed');
    });
    this.chain = run;
    return run;
  }

  private async apply(event: ConnectionEvent): Promise<void> {
    const before = this.context.state;
    const transition = nextConnection(this.context, event, this.policy, this.deps.random);
    this.context = transition.context;
    const { state } = this.context;
    // A retry within the same state (a launch that failed while reconnecting) is recorded too: the
    // admin sees the latest reason and attempt, not the first one.
    if (state !== before || transition.reason !== undefined) {
      const reconnect = transition.actions.find((action) => action.type === 'schedule_reconnect');
      const retryAt = reconnect === undefined ? undefined : this.now() + reconnect.delayMs;
      const retrying = reconnect !== undefined || state === 'reconnecting';
      this.reason =
        transition.reason === undefined
          ? null
          : sessionReason(
              transition.reason,
              retrying,
              this.context.attempts > 0
                ? {
                    attempt: this.context.attempts,
                    maxAttempts: attemptBound(this.context, this.policy),
                    ...(retryAt === undefined ? {} : { retryAt }),
                  }
                : undefined,
            );
      if (state !== before) this.deps.metrics.setState(this.numberId, state);
      this.deps.logger[state === before ? 'warn' : 'info'](
        { numberId: this.numberId, from: before, to: state, detail: transition.detail, reason: this.reason },
        'WhatsApp session',
      );
      await this.deps.recorder
        .transition(
          this.numberId,
          {
            state,
            ...(transition.detail === undefined ? {} : { detail: transition.detail }),
            reason: this.reason,
            ...(retryAt === undefined ? {} : { retryAt }),
          },
          this.deps.ownership.fenceOf(this.numberId),
        )
        .catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error, numberId: this.numberId },
            'could not record a session transition',
          ),
        );
    }
    const produced = this.context;
    for (const action of transition.actions) {
      // An action that handled an event itself (a launch that failed) ends this transition's actions.
      if (this.context !== produced) break;
      await this.perform(action);
    }
  }

  private async perform(action: ConnectionAction): Promise<void> {
    switch (action.type) {
      case 'launch':
        return this.launch();
      case 'close':
        return this.close(action.kill, action.backup);
      case 'logout_client':
        return this.logoutClient();
      case 'schedule_reconnect':
        return this.arm('reconnect', action.delayMs, { type: 'reconnect_due' });
      case 'arm_ready_timer':
        return this.arm('ready', this.deps.config.readyTimeoutMs, { type: 'ready_timeout' });
      case 'arm_qr_timer':
        return this.arm('qr', this.deps.config.qrTimeoutMs, { type: 'qr_timeout' });
      case 'clear_timers':
        for (const timer of this.timers.values()) clearTimeout(timer);
        this.timers.clear();
        return;
      case 'schedule_backup':
        this.connectedAt = this.now();
        this.scheduleBackup(this.deps.config.backupDelayMs);
        this.deps.onConnected(this.numberId);
        return;
      case 'delete_session':
        await this.deps.store.remove(this.numberId, this.profileDir);
        return;
      case 'give_up':
        await this.deps.onGiveUp(this.numberId);
        return;
    }
  }

  private arm(name: TimerName, ms: number, event: ConnectionEvent): void {
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(() => {
      this.timers.delete(name);
      void this.dispatch(event);
    }, ms);
    timer.unref();
    this.timers.set(name, timer);
  }

  private scheduleBackup(ms: number): void {
    clearTimeout(this.timers.get('backup'));
    const timer = setTimeout(() => {
      this.timers.delete('backup');
      void this.serial(async () => {
        if (this.context.state !== 'connected') return;
        await this.backup('live');
        this.scheduleBackup(this.deps.config.backupIntervalMs);
      });
    }, ms);
    timer.unref();
    this.timers.set('backup', timer);
  }

  /** Saves the session; `closed`: the browser is closed (a clean copy, then the working copy goes). */
  private async backup(when: 'live' | 'closed'): Promise<void> {
    const fence = this.deps.ownership.fenceOf(this.numberId);
    if (fence === null) return;
    try {
      const result = await this.deps.store.save(this.numberId, this.profileDir, fence);
      this.deps.logger.info({ numberId: this.numberId, result, when }, 'WhatsApp session saved');
      if (when === 'closed' && (result === 'saved' || result === 'fenced'))
        await this.deps.store.discardLocal(this.profileDir);
    } catch (error) {
      // The working copy stays: the next start on this host uses it (it is newer than the row).
      this.deps.logger.warn(
        { err: error, numberId: this.numberId, when },
        'could not save the WhatsApp session',
      );
    }
  }

  private async launch(): Promise<void> {
    const { checkUrl, checkTimeoutMs } = this.deps.config;
    // No browser for a WhatsApp Web that cannot be reached: it would only time out, saying less.
    if (checkUrl !== null) {
      const checking = new AbortController();
      this.checking = checking;
      const unreachable = await reachabilityError(checkUrl, checkTimeoutMs, checking.signal);
      this.checking = null;
      // Stopped meanwhile: the stop, next in the queue, says so.
      if (checking.signal.aborted) return;
      if (unreachable !== null) return this.apply({ type: 'unreachable', error: unreachable });
    }
    const killed = await clearOrphans(this.profileDir);
    if (killed > 0)
      this.deps.logger.warn({ numberId: this.numberId, killed }, 'killed orphaned Chromium processes');
    let prepared: Awaited<ReturnType<LoginProfileStore['prepare']>>;
    try {
      prepared = await this.deps.store.prepare(this.numberId, this.profileDir);
    } catch (error) {
      if (error instanceof LoginProfileUnreadableError)
        return this.apply({ type: 'session_unreadable', error: error.message });
      return this.apply({ type: 'init_failed', error: messageOf(error) });
    }
    this.hadSession = hasSavedSession(prepared);
    const login = this.login;
    this.login = { method: 'qr' };
    this.lastCode = {};
    const { config } = this.deps;
    let client: WaClient;
    try {
      client = await this.deps.clientFactory({
        numberId: this.numberId,
        profilesDir: config.profilesDir,
        chromiumPath: config.chromiumPath,
        chromiumArgs: config.chromiumArgs,
        headless: config.headless,
        ...(config.webVersion === undefined ? {} : { webVersion: config.webVersion }),
        webCache: config.webCache,
        blockResources: config.blockResources,
        deviceName: config.deviceName,
        ...(!this.hadSession && login.method === 'pairing_code' && login.phone !== undefined
          ? { pairWithPhone: login.phone }
          : {}),
      });
    } catch (error) {
      return this.apply({ type: 'init_failed', error: messageOf(error) });
    }
    this.client = client;
    this.wire(client);
    this.deps.logger.info({ numberId: this.numberId, session: prepared }, 'launching WhatsApp Web');
    void this.deps.ownership
      .run(this.numberId, () => client.initialize())
      .catch((error: unknown) => this.fromClient(client, { type: 'init_failed', error: messageOf(error) }));
  }

  /** An event of a client, dropped when that client has been replaced by the time it is handled. */
  private fromClient(client: WaClient, event: ConnectionEvent): void {
    void this.serial(async () => {
      if (this.client === client) await this.apply(event);
    });
  }

  private wire(client: WaClient): void {
    const current = () => this.client === client;
    client.on('qr', (qr) => {
      if (current()) void this.serial(() => this.offerLogin(client, { qr }));
    });
    client.on('code', (pairingCode) => {
      if (current()) void this.serial(() => this.offerLogin(client, { pairingCode }));
    });
    client.on('authenticated', () => this.fromClient(client, { type: 'authenticated' }));
    client.on('ready', () => this.fromClient(client, { type: 'ready' }));
    client.on('auth_failure', (message) => this.fromClient(client, { type: 'auth_failure', message }));
    client.on('disconnected', (reason) => this.fromClient(client, { type: 'disconnected', reason }));
    client.on('change_state', (state) => {
      if (!current()) return;
      this.deps.logger.info({ numberId: this.numberId, waState: state }, 'WhatsApp Web state');
      // The states whatsapp-web.js accepts without closing: the link to WhatsApp dropped or is back.
      if (state === 'CONNECTED') this.fromClient(client, { type: 'link_up' });
      else if (state === 'TIMEOUT' || state === 'OPENING')
        this.fromClient(client, { type: 'link_down', state });
    });
    client.on('message', (message) => {
      if (current()) this.deps.onMessage(this.numberId, client, message);
    });
    client.on('vote_update', (vote) => {
      if (current()) this.deps.onVote(this.numberId, vote);
    });
    client.on('message_ack', (messageId, ack) => this.deps.onAck(this.numberId, messageId, ack));
  }

  private async offerLogin(client: WaClient, code: { qr?: string; pairingCode?: string }): Promise<void> {
    if (this.client !== client) return;
    await this.apply({ type: 'login_requested', hadSession: this.hadSession });
    if (this.context.state !== 'qr_pending') return;
    const qr = code.qr === undefined ? undefined : await QRCode.toDataURL(code.qr, { margin: 1, width: 264 });
    this.lastCode = {
      ...(qr === undefined ? {} : { qr }),
      ...(code.pairingCode === undefined ? {} : { pairingCode: code.pairingCode }),
    };
    await this.deps.recorder.announce({
      numberId: this.numberId,
      state: 'qr_pending',
      reason: this.reason,
      ...this.lastCode,
    });
  }

  private async close(kill: boolean, backup: boolean): Promise<void> {
    const client = this.client;
    this.client = null;
    this.connectedAt = null;
    if (client === null) return;
    if (kill) {
      const pid = client.browserPid();
      if (pid !== null) await killTree(pid);
    } else {
      await withTimeout(client.destroy(), 15_000).catch((error: unknown) =>
        this.deps.logger.warn({ err: error, numberId: this.numberId }, 'browser did not close; killing it'),
      );
    }
    // Whatever still holds the profile (a browser that would not close) is killed.
    await clearOrphans(this.profileDir);
    if (kill) {
      await client.destroy().catch(() => undefined);
      return;
    }
    if (backup) await this.backup('closed');
  }

  private async logoutClient(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.connectedAt = null;
    if (client === null) return;
    await withTimeout(client.logout(), 15_000).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, numberId: this.numberId }, 'logout did not complete; closing'),
    );
    await withTimeout(client.destroy(), 15_000).catch(() => undefined);
    await clearOrphans(this.profileDir);
  }

  /** An admin asked to connect: launch, or show the current QR again, or switch to a pairing code. */
  async connect(login: LoginRequest): Promise<void> {
    await this.serial(async () => {
      const { state } = this.context;
      if (!isLiveSession(state)) {
        this.login = login;
        await this.apply({ type: 'start' });
        return;
      }
      if (
        state === 'qr_pending' &&
        login.method === 'pairing_code' &&
        login.phone !== undefined &&
        this.client !== null
      ) {
        const client = this.client;
        const phone = login.phone;
        // The code arrives as a `code` event (offerLogin publishes it).
        void this.deps.ownership
          .run(this.numberId, () => client.requestPairingCode(phone))
          .catch((error: unknown) =>
            this.deps.logger.warn({ err: error, numberId: this.numberId }, 'could not get a pairing code'),
          );
        return;
      }
      await this.deps.recorder.announce({
        numberId: this.numberId,
        state,
        reason: this.reason,
        ...(state === 'qr_pending' ? this.lastCode : {}),
      });
    });
  }

  /** Measures the browser's memory; restarts it when too big or due for its scheduled restart. */
  async checkHealth(): Promise<void> {
    const pid = this.client?.browserPid() ?? null;
    this.memory = pid === null ? null : await treeMemory(pid);
    if (this.memory !== null)
      this.deps.metrics.setMemory(this.numberId, this.memory.pssBytes, this.memory.rssBytes);
    if (this.context.state !== 'connected') return;
    const { maxMemoryBytes, restartEveryMs } = this.deps.config;
    if (maxMemoryBytes > 0 && this.memory !== null && this.memory.pssBytes > maxMemoryBytes) {
      this.deps.logger.warn(
        { numberId: this.numberId, pssBytes: this.memory.pssBytes },
        'browser memory over the limit',
      );
      await this.dispatch({ type: 'restart', reason: 'memory' });
    } else if (
      restartEveryMs > 0 &&
      this.connectedAt !== null &&
      this.now() - this.connectedAt > restartEveryMs
    ) {
      await this.dispatch({ type: 'restart', reason: 'schedule' });
    }
  }

  /** Ownership lost: the browser dies now (no waiting in any queue), then the state follows. */
  async leaseLost(): Promise<void> {
    const pid = this.client?.browserPid() ?? null;
    if (pid !== null) await killTree(pid);
    this.checking?.abort();
    await this.dispatch({ type: 'lease_lost' });
  }

  /** Stops trying and closes the browser (saving the session when connected). */
  async stop(reason: string, code: 'admin_cancel' | 'runtime_stopped'): Promise<void> {
    this.checking?.abort();
    await this.dispatch({ type: 'stop', reason, code });
  }

  async logout(): Promise<void> {
    this.checking?.abort();
    await this.dispatch({ type: 'logout' });
  }

  /** For readiness: what this number is doing. */
  describe(): Record<string, unknown> {
    return {
      state: this.context.state,
      reason: this.reason,
      ...(this.context.attempts > 0 ? { attempts: this.context.attempts } : {}),
      ...(this.connectedAt === null ? {} : { connectedSince: new Date(this.connectedAt).toISOString() }),
      ...(this.memory === null
        ? {}
        : { memoryMb: Math.round(this.memory.pssBytes / 1048576), processes: this.memory.processes }),
    };
  }
}
