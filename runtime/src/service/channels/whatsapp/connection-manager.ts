import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Bus, busChannels, type SessionCommand, subscribe } from '@parley/bus';
import type { Db } from '@parley/db';
import type { Logger } from '../../ops/logger.js';
import type { RuntimeMetrics } from '../../ops/metrics.js';
import type { ChannelHost } from '../channel.js';
import { killTree, orphanedBrowsers } from './browser-processes.js';
import { sessionReason } from './connection-reasons.js';
import type { ConnectionRecorder } from './connection-recorder.js';
import type { ConnectionStateRepository } from './connection-state-repository.js';
import { InboundPipeline } from './inbound-pipeline.js';
import { LidResolver } from './lid-resolver.js';
import type { LoginProfileStore } from './login-profile-store.js';
import type { MediaStorage } from './media-storage.js';
import { type LoginRequest, NumberConnection } from './number-connection.js';
import type { NumberOwnership } from './number-ownership.js';
import type { SentPoll, SentRepository } from './sent-repository.js';
import { receiptOfAck } from './translate-inbound.js';
import type { WaClient, WaClientFactory } from './wa-client.js';
import type { SendingPort } from './whatsapp-channel.js';
import { profileDirOf, type WhatsAppConfig } from './whatsapp-config.js';
import type { WhatsAppMetrics } from './whatsapp-metrics.js';

/**
 * How to link the device for a connect command; null when a pairing code is asked for without a
 * phone number to pair (at least 6 digits once spaces and signs are dropped).
 */
function loginOf(command: SessionCommand): LoginRequest | null {
  const digits = command.phone?.replace(/[^\d]/g, '');
  if (command.method === 'pairing_code' && (digits === undefined || digits.length < 6)) return null;
  return {
    method: command.method ?? 'qr',
    ...(digits === undefined || digits === '' ? {} : { phone: digits }),
  };
}

/** A name for this process in leases and session events. */
export function ownerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface ConnectionManagerDeps {
  db: Db;
  bus: Bus;
  host: ChannelHost;
  config: WhatsAppConfig;
  ownership: NumberOwnership;
  store: LoginProfileStore;
  recorder: ConnectionRecorder;
  connections: ConnectionStateRepository;
  sent: SentRepository;
  media: MediaStorage;
  clientFactory: WaClientFactory;
  metrics: RuntimeMetrics;
  whatsappMetrics: WhatsAppMetrics;
  owner: string;
  logger: Logger;
  /** A number became able to send (connected): wake its outbound queue. */
  onSendable?: (numberId: string) => void;
  now?: () => number;
}

const PENDING_LOGIN_MS = 10 * 60_000;

/**
 * Manages the connections of this process's WhatsApp numbers. Every `scanMs` it lets go of the
 * numbers no longer wanted and takes unowned numbers with `desired_connected` (up to
 * PARLEY_MAX_NUMBERS_PER_PROCESS), each under its lease; handles admins' commands (connect by QR or pairing code, logout); measures
 * each browser and restarts it when too big; and on shutdown closes every browser (saving the
 * sessions) before releasing the leases.
 */
export class ConnectionManager implements SendingPort {
  private readonly sessions = new Map<string, NumberConnection>();
  /** The last state and reason of numbers this process stopped driving by itself (failed, logged out). */
  private readonly stopped = new Map<string, Record<string, unknown>>();
  /** Numbers whose lease is being let go of: not taken again here until it is. */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly pendingLogins = new Map<string, { login: LoginRequest; at: number }>();
  private readonly pipeline: InboundPipeline;
  private readonly lids = new LidResolver();
  private readonly loops: NodeJS.Timeout[] = [];
  private unsubscribe: (() => Promise<void>) | null = null;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private stopping = false;
  private readonly now: () => number;

  constructor(private readonly deps: ConnectionManagerDeps) {
    this.now = deps.now ?? Date.now;
    const { config } = deps;
    this.pipeline = new InboundPipeline({
      db: deps.db,
      host: deps.host,
      run: (numberId, work) => deps.ownership.run(numberId, work),
      lids: this.lids,
      media: deps.media,
      sent: deps.sent,
      maxMediaBytes: config.maxMediaBytes,
      maxMessageAgeMs: config.maxMessageAgeMs,
      debounceMs: config.inboundDebounceMs,
      pollSettleMs: config.pollSettleMs,
      metrics: deps.metrics,
      logger: deps.logger,
      now: this.now,
    });
    deps.ownership.onLost((numberId, reason) => this.lost(numberId, reason));
  }

  async start(): Promise<void> {
    const orphans = await orphanedBrowsers(this.deps.config.profilesDir);
    for (const pid of orphans) await killTree(pid);
    if (orphans.length > 0)
      this.deps.logger.warn({ killed: orphans.length }, 'killed orphaned Chromium browsers');
    this.unsubscribe = await subscribe(
      this.deps.bus,
      busChannels.sessionCommands,
      (command) => {
        void this.onCommand(command).catch((error: unknown) =>
          this.deps.logger.error({ err: error }, 'session command failed'),
        );
      },
      this.deps.logger,
    );
    const { scanMs, memoryCheckMs } = this.deps.config;
    this.every(scanMs, () => this.scanNow());
    if (memoryCheckMs > 0) this.every(memoryCheckMs, () => this.checkHealth());
    this.every(3_600_000, async () => {
      await this.deps.sent.prune(this.deps.db, 30);
    });
    await this.scanNow();
  }

  private every(ms: number, work: () => Promise<void>): void {
    const loop = setInterval(() => {
      void work().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'WhatsApp maintenance failed'),
      );
    }, ms);
    loop.unref();
    this.loops.push(loop);
  }

  /** Scans now (coalesced with a scan in progress). */
  scanNow(): Promise<void> {
    if (this.scanning !== null) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = this.scan()
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'WhatsApp number scan failed'))
      .finally(() => {
        this.scanning = null;
        if (this.rescan && !this.stopping) {
          this.rescan = false;
          void this.scanNow();
        }
      });
    return this.scanning;
  }

  private async scan(): Promise<void> {
    if (this.stopping) return;
    const { db, config } = this.deps;
    const owned = [...this.sessions.keys()];
    if (owned.length > 0) {
      const wanted = await this.deps.connections.stillWanted(db, owned);
      for (const numberId of owned) {
        if (!wanted.has(numberId)) await this.letGo(numberId, 'Stopped by an admin');
      }
    }
    let capacity = config.maxNumbersPerProcess - this.sessions.size;
    if (capacity <= 0 || this.stopping) return;
    const candidates = await this.deps.connections.wantedBesides(
      db,
      [...this.sessions.keys(), ...this.releasing.keys()],
      capacity * 4 + 10,
    );
    for (const id of candidates) {
      if (capacity <= 0 || this.stopping) break;
      const fence = await this.deps.ownership.tryAcquire(id);
      if (fence === null) continue;
      capacity -= 1;
      this.deps.logger.info({ numberId: id, fence }, 'took WhatsApp number');
      const session = this.open(id);
      const pending = this.pendingLogins.get(id);
      this.pendingLogins.delete(id);
      const login =
        pending !== undefined && this.now() - pending.at < PENDING_LOGIN_MS
          ? pending.login
          : { method: 'qr' as const };
      void session.connect(login);
    }
  }

  private open(numberId: string): NumberConnection {
    const { deps } = this;
    const session = new NumberConnection({
      numberId,
      config: deps.config,
      ownership: deps.ownership,
      store: deps.store,
      recorder: deps.recorder,
      metrics: deps.whatsappMetrics,
      clientFactory: deps.clientFactory,
      onMessage: (id, client, message) => this.pipeline.onMessage(id, client, message),
      onVote: (id, vote) => this.pipeline.onVote(id, vote),
      onAck: (id, messageId, ack) => {
        const status = receiptOfAck(ack);
        if (status !== null)
          void deps.host
            .receipt(id, messageId, status)
            .catch((error: unknown) =>
              deps.logger.warn({ err: error, numberId: id }, 'could not record a receipt'),
            );
      },
      onConnected: (id) => deps.onSendable?.(id),
      onGiveUp: (id) => this.giveUp(id),
      logger: deps.logger,
      now: this.now,
    });
    this.sessions.set(numberId, session);
    this.stopped.delete(numberId);
    return session;
  }

  /** The number stopped wanting a browser (logged out, failed, nobody scanned): let go of it. */
  private async giveUp(numberId: string): Promise<void> {
    const session = this.sessions.get(numberId);
    this.sessions.delete(numberId);
    this.deps.whatsappMetrics.forget(numberId);
    // Its last state stays visible in /readyz and the metrics (an alert on `failed`) until it is
    // taken again.
    if (session !== undefined) {
      this.stopped.set(numberId, session.describe());
      this.deps.whatsappMetrics.setState(numberId, session.state);
    }
    await this.release(numberId, () =>
      this.deps.connections
        .wantDisconnected(this.deps.db, numberId)
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error, numberId }, 'could not clear desired_connected'),
        ),
    );
  }

  private async letGo(numberId: string, reason: string): Promise<void> {
    const session = this.sessions.get(numberId);
    // Out of the map first: a connect arriving while the browser closes must not reach the
    // session being stopped (it would run on without its lease).
    this.sessions.delete(numberId);
    await this.release(numberId, async () => {
      if (session !== undefined) await session.stop(reason, 'admin_cancel');
    });
    this.deps.whatsappMetrics.forget(numberId);
  }

  /**
   * Does `work`, then lets go of the number's lease. Meanwhile no scan takes the number here (a new
   * session's lease would be the one released); a connect that came meanwhile takes it afterwards.
   */
  private async release(numberId: string, work: () => Promise<void>): Promise<void> {
    const done = (async () => {
      try {
        await work();
      } finally {
        await this.deps.ownership.release(numberId);
      }
    })();
    this.releasing.set(numberId, done);
    try {
      await done;
    } finally {
      this.releasing.delete(numberId);
      if (this.pendingLogins.has(numberId)) void this.scanNow();
    }
  }

  private lost(numberId: string, reason: string): void {
    const session = this.sessions.get(numberId);
    this.sessions.delete(numberId);
    this.deps.whatsappMetrics.forget(numberId);
    this.deps.metrics.errors.inc({ kind: 'whatsapp_lease_lost' });
    this.deps.logger.error(
      { numberId, reason },
      'lost the ownership of a WhatsApp number; its browser is stopped',
    );
    void session?.leaseLost();
  }

  private async onCommand(command: SessionCommand): Promise<void> {
    if (this.stopping) return;
    const { numberId } = command;
    const session = this.sessions.get(numberId);
    if (command.command === 'logout') {
      if (session !== undefined) return session.logout();
      return this.logoutUnowned(numberId);
    }
    // The API has already cleared desired_connected: stop now rather than at the next scan.
    if (command.command === 'cancel') {
      if (session !== undefined) await this.letGo(numberId, 'Cancelled by an admin');
      return;
    }
    const login = loginOf(command);
    if (login === null) {
      this.deps.logger.warn({ numberId }, 'ignored a pairing-code connect without a phone number');
      return;
    }
    if (session !== undefined) return session.connect(login);
    this.pendingLogins.set(numberId, { login, at: this.now() });
    await this.deps.connections.wantConnected(this.deps.db, numberId);
    await this.scanNow();
  }

  /** Logout of a number no process runs: whoever takes its lease first forgets the session. */
  private async logoutUnowned(numberId: string): Promise<void> {
    const fence = await this.deps.ownership.tryAcquire(numberId);
    if (fence === null) return;
    try {
      await this.deps.store.remove(numberId, profileDirOf(this.deps.config.profilesDir, numberId));
      await this.deps.connections.wantDisconnected(this.deps.db, numberId);
      await this.deps.recorder.transition(
        numberId,
        {
          state: 'logged_out',
          detail: 'Logged out by an admin',
          reason: sessionReason({ code: 'admin_logout' }, false),
        },
        fence,
      );
    } finally {
      await this.deps.ownership.release(numberId);
    }
  }

  private async checkHealth(): Promise<void> {
    for (const session of [...this.sessions.values()]) {
      await session
        .checkHealth()
        .catch((error: unknown) =>
          this.deps.logger.warn({ err: error, numberId: session.numberId }, 'health check failed'),
        );
    }
  }

  // SendingPort, for the channel.

  canSend(numberId: string): boolean {
    return this.sessions.get(numberId)?.connectedClient != null && this.deps.ownership.owns(numberId);
  }

  clientOf(numberId: string): WaClient | null {
    return this.sessions.get(numberId)?.connectedClient ?? null;
  }

  run<T>(numberId: string, work: () => Promise<T>): Promise<T> {
    return this.deps.ownership.run(numberId, work);
  }

  isCurrentOwner(numberId: string): Promise<boolean> {
    return this.deps.ownership.isCurrent(numberId);
  }

  rememberPoll(numberId: string, pollMessageId: string, poll: SentPoll): void {
    this.pipeline.rememberPoll(numberId, pollMessageId, poll);
  }

  /**
   * Readiness details: this process's numbers and their browsers, each with its state and reason
   * as the numbers page shows them, and the numbers it stopped driving (failed, logged out).
   */
  describe(): Record<string, unknown> {
    return {
      owner: this.deps.owner,
      numbers: Object.fromEntries([...this.sessions].map(([id, session]) => [id, session.describe()])),
      stopped: Object.fromEntries(this.stopped),
      capacity: this.deps.config.maxNumbersPerProcess,
    };
  }

  /** The session of a number this process drives (tests, diagnostics). */
  session(numberId: string): NumberConnection | undefined {
    return this.sessions.get(numberId);
  }

  /**
   * Shutdown: no new numbers or commands; inbound already received is handed over; every browser
   * is closed (sessions saved) so none is left behind; then the leases are released.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const loop of this.loops) clearInterval(loop);
    await this.unsubscribe?.().catch(() => undefined);
    await this.scanning;
    await this.pipeline.flush();
    await Promise.allSettled(
      [...this.sessions.values()].map((session) =>
        session.stop('The runtime is shutting down', 'runtime_stopped'),
      ),
    );
    await this.pipeline.flush();
    for (const numberId of this.sessions.keys()) this.deps.whatsappMetrics.forget(numberId);
    this.sessions.clear();
    await this.deps.ownership.close();
  }
}
