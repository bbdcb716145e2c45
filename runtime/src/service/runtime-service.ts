import type { Server } from 'node:http';
import type { FetchFunction } from '@parley/ai';
import {
  BUS_MESSAGE_LIMIT,
  type Bus,
  busChannels,
  type ConnectedBus,
  connectBus,
  connectRedis,
  type InboxActivity,
  publish,
  type SimulatorInbound,
  type SimulatorTurn,
  subscribe,
} from '@parley/bus';
import {
  cipherPurposes,
  type Db,
  fetchFor,
  type MediaStore,
  mediaStoreFromEnv,
  migrate,
  openDb,
  ping,
} from '@parley/db';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import { MemoryLocker } from './adapters/memory-locker.js';
import { MemoryStateStore } from './adapters/memory-state-store.js';
import { RedisLocker } from './adapters/redis-locker.js';
import { RedisStateStore } from './adapters/redis-state-store.js';
import type { Channel, ChannelHost } from './channels/channel.js';
import { MemorySentLog, RedisSentLog, type SentLog } from './channels/simulator/sent-log.js';
import { SimulatorChannel } from './channels/simulator/simulator-channel.js';
import { simulatorRoutes } from './channels/simulator/simulator-routes.js';
import { createWhatsApp, type WhatsAppRuntime } from './channels/whatsapp/index.js';
import type { RuntimeConfig } from './config.js';
import { healthRoutes } from './ops/health-routes.js';
import { createApp, listen } from './ops/http-server.js';
import { createLogger, type Logger } from './ops/logger.js';
import { RuntimeMetrics } from './ops/metrics.js';
import { isLoopbackHost } from './ops/ops-tokens.js';
import { numberSendPolicy } from './outbound/number-pacing.js';
import { OutboundDispatcher, type SendOutcome } from './outbound/outbound-dispatcher.js';
import type { Locker } from './ports/locker.js';
import type { StateStore } from './ports/state-store.js';
import { AiCallPerformer } from './processing/ai-call-performer.js';
import { type Committed, ConversationProcessor } from './processing/conversation-processor.js';
import { EffectRunner } from './processing/effect-runner.js';
import { FlowDirectory } from './processing/flow-directory.js';
import { Maintenance } from './processing/maintenance.js';
import { AiRepository } from './repositories/ai-repository.js';
import { CheckpointRepository } from './repositories/checkpoint-repository.js';
import { ContactStateRepository } from './repositories/contact-state-repository.js';
import { ConversationRepository } from './repositories/conversation-repository.js';
import { EffectRepository } from './repositories/effect-repository.js';
import { FlowRepository } from './repositories/flow-repository.js';
import { HandoffMetricsRepository } from './repositories/handoff-metrics-repository.js';
import { InboxRepository } from './repositories/inbox-repository.js';
import { OutboxRepository } from './repositories/outbox-repository.js';
import { TimerRepository } from './repositories/timer-repository.js';
import { lazyCipher } from './secret-ciphers.js';

/** The shared infrastructure a runtime runs on: Postgres, and Redis when configured. */
interface Infrastructure {
  db: Db;
  redis: Redis | null;
  stateStore: StateStore;
  locker: Locker;
  bus: Bus;
  sentLog: SentLog;
  close(): Promise<void>;
}

async function connectInfrastructure(
  config: RuntimeConfig,
  db: Db,
  shared: { bus?: Bus; ownsDb: boolean },
): Promise<Infrastructure> {
  // The bus is the same choice the API makes (Redis, else LISTEN/NOTIFY, else in process).
  const own =
    shared.bus === undefined
      ? await connectBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, db })
      : null;
  const bus = shared.bus ?? (own as ConnectedBus).bus;
  const redis = own?.redis ?? (config.redisUrl === undefined ? null : await connectRedis(config.redisUrl));
  const close = async () => {
    if (own !== null) await own.close();
    else await redis?.quit().catch(() => undefined);
    if (shared.ownsDb) await db.close();
  };
  if (redis === null) {
    return {
      db,
      redis,
      bus,
      stateStore: new MemoryStateStore(),
      locker: new MemoryLocker(),
      sentLog: new MemorySentLog(),
      close,
    };
  }
  return {
    db,
    redis,
    bus,
    stateStore: new RedisStateStore(redis, config.redisPrefix, config.stateTtlSeconds),
    locker: new RedisLocker(redis, { prefix: config.redisPrefix }),
    sentLog: new RedisSentLog(redis, config.redisPrefix),
    close,
  };
}

export interface RuntimeServiceOptions {
  /** An already open (and migrated) database, e.g. the all-in-one start's PGlite; its owner closes it. */
  db?: Db;
  /** A bus shared with the API in the same process; its owner closes it. */
  bus?: Bus;
  logger?: Logger;
  /** Extra channels by kind (the WhatsApp channel plugs in here). */
  channels?: Partial<Record<'whatsapp', Channel>>;
  /** Skip the HTTP server (another server mounts `healthRouter()`). */
  listen?: boolean;
  /** Called after every committed checkpoint, once the runtime has acted on it (benchmarks, probes). */
  onCommitted?: (committed: Committed) => void;
  /** Where received files go; default: the store the environment names (PARLEY_S3_*, else a folder). */
  media?: MediaStore;
  /**
   * How model providers are reached; default: through the private-address guard unless
   * PARLEY_ALLOW_PRIVATE_HTTP. Tool calls keep the guard whatever this is (tests reach a local
   * provider stand-in with it while checking that tools cannot reach private addresses).
   */
  providerFetch?: FetchFunction;
}

/**
 * The runtime process: conversation processing, outbound sending, timers, http effects, recovery,
 * and an HTTP server for the simulator channel, health and metrics.
 */
export class RuntimeService {
  readonly metrics = new RuntimeMetrics();
  readonly logger: Logger;
  readonly processor: ConversationProcessor;
  readonly dispatcher: OutboundDispatcher;
  readonly directory: FlowDirectory;
  readonly host: ChannelHost;
  private server: Server | null = null;
  private stopping = false;
  private readonly maintenance: Maintenance;
  private readonly effects: EffectRunner;
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  private readonly channels: Record<string, Channel | undefined>;
  /** The WhatsApp connection manager, unless disabled or a WhatsApp channel was passed in. */
  private readonly whatsapp: WhatsAppRuntime | null = null;
  private readonly flowRepository = new FlowRepository();

  private constructor(
    readonly config: RuntimeConfig,
    readonly infra: Infrastructure,
    options: RuntimeServiceOptions,
  ) {
    this.logger = options.logger ?? createLogger('parley-runtime');
    const { db } = infra;
    const outbox = new OutboxRepository();
    const headerCipher = lazyCipher(config, cipherPurposes.headerValue);
    const effectRepository = new EffectRepository(headerCipher);
    this.directory = new FlowDirectory(db, this.flowRepository, headerCipher, config.flowCacheTtlMs);
    const simulator = new SimulatorChannel(infra.bus, infra.sentLog);
    this.channels = { simulator, ...options.channels };
    this.dispatcher = new OutboundDispatcher({
      db,
      outbox,
      channelFor: async (numberId) => {
        const info = await this.directory.number(numberId);
        const channel = info === null ? null : (this.channels[info.channel] ?? null);
        // A WhatsApp number is sent for only by the process that owns it, while connected.
        return channel?.handles === undefined || channel.handles(numberId) ? channel : null;
      },
      policyFor: async (channel, numberId) =>
        numberSendPolicy(
          channel.kind === 'simulator' ? config.simulatorSendPolicy : config.whatsappSendPolicy,
          (await this.directory.number(numberId))?.settings,
        ),
      metrics: this.metrics,
      logger: this.logger,
      onOutcome: (outcome) => this.followAgentMessage(outcome),
    });
    const ai = new AiCallPerformer({
      db,
      ai: new AiRepository(),
      keyCipher: lazyCipher(config, cipherPurposes.aiKey),
      providerFetch: options.providerFetch ?? fetchFor(config.allowPrivateHttp),
      runTool: (workspaceId, request, requestId) => this.effects.runTool(workspaceId, request, requestId),
      metrics: this.metrics,
      logger: this.logger,
    });
    this.effects = new EffectRunner({
      db,
      effects: effectRepository,
      signingCipher: lazyCipher(config, cipherPurposes.signingSecret),
      allowPrivateHttp: config.allowPrivateHttp,
      maxAttempts: config.effectMaxAttempts,
      ai,
      logger: this.logger,
      deliver: (key, event) => this.processor.schedule(key, [event]),
    });
    this.processor = new ConversationProcessor({
      db,
      stateStore: infra.stateStore,
      locker: infra.locker,
      directory: this.directory,
      inbox: new InboxRepository(),
      states: new ContactStateRepository(),
      checkpoints: new CheckpointRepository(),
      metrics: this.metrics,
      logger: this.logger,
      slowTurnMs: config.slowTurnMs,
      onCommitted: (committed) => {
        if (committed.outbound.length > 0) this.dispatcher.notify(committed.key.numberId);
        for (const effect of [...committed.httpRequests, ...committed.aiCalls])
          this.effects.run(committed.key, committed.workspaceId, effect);
        if (committed.channel === 'simulator') this.announceTurn(committed);
        for (const change of committed.inboxActivity)
          this.announceInbox({
            workspaceId: committed.workspaceId,
            numberId: committed.key.numberId,
            contact: committed.key.contact,
            conversationId: change.conversationId,
            kind: change.kind,
            isTest: committed.channel === 'simulator',
          });
        options.onCommitted?.(committed);
      },
    });
    this.host = {
      receive: (message) => this.processor.receive(message),
      receipt: async (numberId, channelMessageId, status) => {
        const moved = await outbox.applyReceipt(db, numberId, channelMessageId, status);
        if (moved?.kind === 'agent' && moved.conversationId !== null) {
          const info = await this.directory.number(numberId);
          this.announceInbox({
            workspaceId: moved.workspaceId,
            numberId,
            contact: moved.contact,
            conversationId: moved.conversationId,
            kind: 'delivery',
            isTest: info?.channel === 'simulator',
          });
        }
      },
    };
    if (options.channels?.whatsapp === undefined && config.whatsapp?.enabled === true) {
      this.whatsapp = createWhatsApp({
        db,
        bus: infra.bus,
        redis: infra.redis,
        prefix: config.redisPrefix,
        host: this.host,
        config: config.whatsapp,
        dataDir: config.dataDir,
        mediaStore: options.media ?? mediaStoreFromEnv(process.env, config.dataDir),
        metrics: this.metrics,
        logger: this.logger,
        onSendable: (numberId) => this.dispatcher.notify(numberId),
      });
      this.channels.whatsapp = this.whatsapp.channel;
    }
    const handoffMetrics = new HandoffMetricsRepository();
    this.metrics.watchHandoffs((upperBounds) =>
      handoffMetrics.figures(db, upperBounds).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'the hand-off metrics could not be read');
        throw error;
      }),
    );
    this.maintenance = new Maintenance({
      db,
      config,
      processor: this.processor,
      dispatcher: this.dispatcher,
      effects: this.effects,
      inbox: new InboxRepository(),
      outbox,
      timers: new TimerRepository(),
      effectRepository,
      conversations: new ConversationRepository(),
      metrics: this.metrics,
      logger: this.logger,
    });
  }

  /**
   * Tells simulator clients (the API's test sessions) that a turn is committed, with its replies
   * and the conversation after it, so they need not read them back from Postgres. A turn too large
   * for the bus goes without them (the client reads Postgres instead).
   */
  private announceTurn(committed: Committed): void {
    const turn: SimulatorTurn = {
      type: 'turn',
      contact: committed.key.contact,
      inboundIds: committed.inboundIds,
      // Model calls keep the live test waiting for their turn just as http requests do.
      pendingHttp: committed.httpRequests.length + committed.aiCalls.length,
    };
    const full: SimulatorTurn = {
      ...turn,
      replies: committed.outbound,
      notes: committed.notes,
      conversation: committed.conversation,
    };
    const message = Buffer.byteLength(JSON.stringify(full)) <= BUS_MESSAGE_LIMIT ? full : turn;
    // The API's live test also polls Postgres for the turn, so a lost notice only slows it down.
    publish(this.infra.bus, busChannels.simulator(committed.key.numberId), message).catch((error: unknown) =>
      this.logger.warn(
        { err: error, numberId: committed.key.numberId },
        'could not announce a simulator turn; the live test reads it from the database',
      ),
    );
  }

  /**
   * Tells the API's inbox streams what happened in a hand-off. The inbox also reads Postgres when
   * it opens and on every change it hears of, so a lost notice delays an update, it loses nothing.
   */
  private announceInbox(activity: Omit<InboxActivity, 'at'>): void {
    publish(this.infra.bus, busChannels.inboxActivity, { ...activity, at: Date.now() }).catch(
      (error: unknown) =>
        this.logger.warn(
          { err: error, numberId: activity.numberId, conversationId: activity.conversationId },
          'could not tell the inbox about a hand-off change',
        ),
    );
  }

  /** A person's message went out (or failed for good): the inbox shows its ticks. */
  private followAgentMessage({ channel, message }: SendOutcome): void {
    if (message.envelope.message.kind !== 'agent' || message.conversationId === null) return;
    const { numberId, contact } = message.envelope;
    const conversationId = message.conversationId;
    this.directory
      .number(numberId)
      .then((info) => {
        if (info === null) return;
        this.announceInbox({
          workspaceId: info.workspaceId,
          numberId,
          contact,
          conversationId,
          kind: 'delivery',
          isTest: channel.kind === 'simulator',
        });
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error, numberId }, 'could not tell the inbox about a send'),
      );
  }

  /**
   * Records a simulator contact's message the API handed over, like any channel's, and answers
   * with a receipt. Every runtime gets it: the message id makes the first one record it and the
   * others report a duplicate. No receipt on failure: the API says so, and a retry is safe.
   */
  private async receiveSimulated(message: SimulatorInbound): Promise<void> {
    const { numberId, id } = message;
    try {
      // Not the cached view: a session another API process just deleted must be refused now.
      const info = await this.flowRepository.numberInfo(this.infra.db, numberId);
      const result = info?.channel === 'simulator' ? await this.host.receive(message) : 'refused';
      await publish(this.infra.bus, busChannels.simulatorReceipts(numberId), { id, result });
    } catch (error) {
      this.logger.warn({ err: error, numberId }, 'could not record a simulator message');
    }
  }

  /** Opens the database (migrating it), connects Redis, starts the loops and the HTTP server. */
  static async start(config: RuntimeConfig, options: RuntimeServiceOptions = {}): Promise<RuntimeService> {
    // Checked before anything opens, so a refused start leaves nothing behind.
    if (options.listen !== false && !isLoopbackHost(config.host) && config.tokens.internal === undefined) {
      throw new Error(
        `PARLEY_RUNTIME_HOST is ${config.host}, which other machines can reach: set PARLEY_INTERNAL_TOKEN ` +
          '(32+ random characters) so its endpoints need it, or keep the default host 127.0.0.1.',
      );
    }
    const db = options.db ?? (await openDb({ ...config, applicationName: 'parley-runtime' }));
    if (options.db === undefined) await migrate(db);
    const infra = await connectInfrastructure(config, db, {
      ownsDb: options.db === undefined,
      ...(options.bus === undefined ? {} : { bus: options.bus }),
    });
    const service = new RuntimeService(config, infra, options);
    await service.begin(options.listen !== false);
    return service;
  }

  private async begin(withServer: boolean): Promise<void> {
    const { bus } = this.infra;
    this.unsubscribes.push(
      await subscribe(bus, busChannels.flows, () => this.directory.invalidate(), this.logger),
      await subscribe(
        bus,
        busChannels.contactPurged,
        ({ numberId, contact }) => {
          Promise.all([
            this.infra.stateStore.delete(`${numberId}:${contact}`),
            this.infra.sentLog.forgetContact(numberId, contact),
          ]).catch((error: unknown) =>
            this.logger.error({ err: error, numberId }, 'could not erase a contact from Redis or memory'),
          );
        },
        this.logger,
      ),
      await subscribe(
        bus,
        busChannels.simulatorEnded,
        ({ numberId, contact }) => {
          Promise.all([
            this.infra.stateStore.delete(`${numberId}:${contact}`),
            this.infra.sentLog.forgetNumber(numberId),
          ]).catch((error: unknown) =>
            // Left behind, the keys still expire on their own (state and sent-log TTLs).
            this.logger.warn({ err: error, numberId }, 'could not delete an ended simulator session’s keys'),
          );
        },
        this.logger,
      ),
      await subscribe(bus, busChannels.inbound, (key) => this.processor.schedule(key), this.logger),
      await subscribe(
        bus,
        busChannels.simulatorInbound,
        (message) => void this.receiveSimulated(message),
        this.logger,
      ),
    );
    this.maintenance.start();
    await this.whatsapp?.start();
    if (!withServer) return;
    this.server = await listen(createApp(this.routers(), this.logger), this.config.port, this.config.host);
    this.logger.info({ port: this.port, host: this.config.host }, 'runtime listening');
  }

  /**
   * `/healthz`, `/readyz` and `/metrics`, each guarded as it should be on a public port: the only
   * runtime routes a host process (`npm start`) may mount on its own server.
   */
  healthRouter(): Router {
    return healthRoutes(this.readinessChecks(), this.metrics, () => this.stopping, this.config.tokens);
  }

  /** Everything the runtime's own (internal) server answers: health and the simulator channel. */
  private routers(): Router[] {
    return [
      this.healthRouter(),
      simulatorRoutes({
        host: this.host,
        bus: this.infra.bus,
        db: this.infra.db,
        conversations: new ConversationRepository(),
        logger: this.logger,
        sentLog: this.infra.sentLog,
        numberInfo: (numberId) => this.directory.number(numberId),
        internalToken: this.config.tokens.internal,
      }),
    ];
  }

  readinessChecks(): Record<string, () => Promise<unknown>> {
    const checks: Record<string, () => Promise<unknown>> = {
      postgres: () => ping(this.infra.db),
      queues: async () => this.processor.queueDepths(),
    };
    const redis = this.infra.redis;
    if (redis !== null) checks.redis = () => redis.ping();
    const whatsapp = this.whatsapp;
    if (whatsapp !== null) checks.whatsapp = async () => whatsapp.describe();
    return checks;
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : this.config.port;
  }

  /**
   * Graceful shutdown: stop accepting messages, finish the steps in flight and their sends, then
   * release locks and connections.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info('runtime stopping');
    const closed =
      this.server === null ? Promise.resolve() : new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
    this.maintenance.stop();
    // First the browsers: inbound they already received is recorded, their sessions saved.
    await this.whatsapp?.stop();
    await this.processor.stop();
    await this.effects.stop();
    await this.processor.idle();
    await this.dispatcher.stop();
    await Promise.allSettled(this.unsubscribes.map((unsubscribe) => unsubscribe()));
    await this.infra.locker.close();
    await closed;
    await this.infra.close();
    this.logger.info('runtime stopped');
  }
}
