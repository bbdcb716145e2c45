import type { Bus } from '@parley/bus';
import {
  cipherPurposes,
  type Db,
  MEDIA_URL_PREFIX,
  type MediaStore,
  resolveSecretKey,
  SecretCipher,
} from '@parley/db';
import type { Redis } from 'ioredis';
import type { Logger } from '../../ops/logger.js';
import type { RuntimeMetrics } from '../../ops/metrics.js';
import { FlowRepository } from '../../repositories/flow-repository.js';
import type { ChannelHost } from '../channel.js';
import { ConnectionManager, ownerName } from './connection-manager.js';
import { ConnectionRecorder } from './connection-recorder.js';
import { ConnectionStateRepository } from './connection-state-repository.js';
import { LoginProfileRepository } from './login-profile-repository.js';
import { LoginProfileStore } from './login-profile-store.js';
import { fetchMedia, type MediaStorage, StoreMediaStorage } from './media-storage.js';
import { LocalBackend, NumberOwnership, RedlockBackend } from './number-ownership.js';
import { SentRepository } from './sent-repository.js';
import type { WaClientFactory } from './wa-client.js';
import { WhatsAppChannel } from './whatsapp-channel.js';
import type { WhatsAppConfig } from './whatsapp-config.js';
import { WhatsAppMetrics } from './whatsapp-metrics.js';

export type { SessionUpdate } from '@parley/bus';
export type { ConnectionState } from './connection-state.js';
export type { WaClient, WaClientFactory, WaClientOptions } from './wa-client.js';
export { type WhatsAppConfig, whatsappConfigFromEnv } from './whatsapp-config.js';
export { ConnectionManager, WhatsAppChannel };

export interface WhatsAppDeps {
  db: Db;
  bus: Bus;
  /** Redis for ownership leases across processes; null: this process owns every number it runs. */
  redis: Redis | null;
  prefix: string;
  host: ChannelHost;
  config: WhatsAppConfig;
  /** For PARLEY_SECRET_KEY's embedded default (`<dataDir>/secret.key`). */
  dataDir: string;
  metrics: RuntimeMetrics;
  logger: Logger;
  /** The real whatsapp-web.js client by default; tests may pass another. */
  clientFactory?: WaClientFactory;
  /** The shared store inbound files go to (a folder or S3, the one the API serves from). */
  mediaStore: MediaStore;
  /** Tests may pass another way of storing inbound files. */
  media?: MediaStorage;
  onSendable?: (numberId: string) => void;
}

/** The WhatsApp side of a runtime: the channel for the dispatcher and the connection manager. */
export interface WhatsAppRuntime {
  channel: WhatsAppChannel;
  manager: ConnectionManager;
  start(): Promise<void>;
  stop(): Promise<void>;
  describe(): Record<string, unknown>;
}

export function createWhatsApp(deps: WhatsAppDeps): WhatsAppRuntime {
  const { db, config, logger } = deps;
  /** The real client, loaded on first use (whatsapp-web.js and Puppeteer take a second to load). */
  const loadWaClient: WaClientFactory = async (options) => {
    const waClient = await import('./wa-client.js');
    waClient.guardBrowserLibraryRejections((error) => {
      deps.metrics.errors.inc({ kind: 'whatsapp_background' });
      logger.warn({ err: error }, 'whatsapp-web.js background work failed (its browser closed); ignored');
    });
    return waClient.createWaClient(options);
  };
  const owner = ownerName();
  let cipher: Promise<SecretCipher> | null = null;
  const resolveCipher = () => {
    cipher ??= (async () =>
      SecretCipher.fromSecrets(
        cipherPurposes.whatsappSession,
        config.secretKey ?? (await resolveSecretKey({}, deps.dataDir)),
        config.previousSecretKey,
      ))();
    return cipher;
  };
  const repository = new LoginProfileRepository();
  const sent = new SentRepository();
  const connections = new ConnectionStateRepository();
  const ownership = new NumberOwnership({
    backend: deps.redis === null ? new LocalBackend() : new RedlockBackend(deps.redis),
    db,
    repository,
    owner,
    prefix: deps.prefix,
    leaseMs: config.leaseMs,
  });
  const stored = new StoreMediaStorage(db, deps.mediaStore, new FlowRepository());
  const manager = new ConnectionManager({
    db,
    bus: deps.bus,
    host: deps.host,
    config,
    ownership,
    store: new LoginProfileStore({ db, repository, cipher: resolveCipher, owner, logger }),
    recorder: new ConnectionRecorder({ db, bus: deps.bus, connections, owner, logger }),
    connections,
    sent,
    media: deps.media ?? stored,
    clientFactory: deps.clientFactory ?? loadWaClient,
    metrics: deps.metrics,
    whatsappMetrics: new WhatsAppMetrics(deps.metrics.registry),
    owner,
    logger,
    ...(deps.onSendable === undefined ? {} : { onSendable: deps.onSendable }),
  });
  const channel = new WhatsAppChannel({
    db,
    port: manager,
    sent,
    fetchMedia: (url, numberId) =>
      url.startsWith(MEDIA_URL_PREFIX)
        ? stored.read(numberId, url)
        : fetchMedia(url, { maxBytes: config.maxMediaBytes, allowPrivate: config.allowPrivateMedia }),
  });
  return {
    channel,
    manager,
    start: () => manager.start(),
    stop: () => manager.stop(),
    describe: () => manager.describe(),
  };
}
