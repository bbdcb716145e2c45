import wwebjs from 'whatsapp-web.js';
import { ChannelSendError } from '../channel.js';
import type { WebCacheSetting } from './whatsapp-config.js';

export { profileDirOf } from './whatsapp-config.js';

// The wall around whatsapp-web.js: the only module that imports it. Everything else sees the small
// interface below, with plain data in and out, so the rest is testable without a browser and a
// library upgrade touches one file. whatsapp-web.js is pinned (1.34.7): it reaches into WhatsApp
// Web's own modules, so any version change is a behaviour change.

/** An inbound WhatsApp message, as plain data. */
export interface WaIncoming {
  /** The message's serialized id (`false_<chat>_<id>`): unique, used to dedupe. */
  id: string;
  /** The chat it came from: `<digits>@c.us`, `<id>@lid`, `<id>@g.us`, `status@broadcast`, … */
  chatId: string;
  fromMe: boolean;
  /** whatsapp-web.js message type: `chat`, `image`, `video`, `audio`, `ptt`, `document`, `location`, … */
  type: string;
  /** Text, or a media message's caption. */
  body: string;
  /** Seconds since the epoch, as WhatsApp stamped it. */
  timestamp: number;
  /** The sender's profile name, when WhatsApp passes it along. */
  notifyName?: string;
  hasMedia: boolean;
  mimeType?: string;
  fileName?: string;
  /** Media size in bytes, when known before downloading. */
  size?: number;
  location?: { lat: number; lng: number; name?: string };
  isStatus: boolean;
  broadcast: boolean;
}

/** A poll vote: the voter's current selection on one poll (every change is a new vote). */
export interface WaVote {
  pollMessageId: string;
  /** The voter's chat id (`<digits>@c.us` or `<id>@lid`). */
  voter: string;
  /** Option names (as the poll showed them) and their positions. */
  selected: { name?: string; localId: number }[];
  /** Epoch ms. */
  at: number;
}

export interface WaMedia {
  mimeType: string;
  data: Buffer;
  fileName?: string;
}

export interface WaOwnMessage {
  id: string;
  type: string;
  body: string;
  /** Seconds since the epoch. */
  timestamp: number;
}

export interface WaClientEvents {
  qr: (qr: string) => void;
  code: (code: string) => void;
  authenticated: () => void;
  ready: () => void;
  message: (message: WaIncoming) => void;
  vote_update: (vote: WaVote) => void;
  message_ack: (messageId: string, ack: number) => void;
  change_state: (state: string) => void;
  /** WhatsApp's reason (`LOGOUT`, `CONFLICT`, `UNPAIRED`, …), or `BROWSER_CLOSED`/`PAGE_CRASHED`. */
  disconnected: (reason: string) => void;
  auth_failure: (message: string) => void;
}

/** One WhatsApp Web session in one Chromium. Every send's result is checked: failures throw ChannelSendError. */
export interface WaClient {
  /** Launches Chromium and opens WhatsApp Web. On failure the browser is already closed. */
  initialize(): Promise<void>;
  on<E extends keyof WaClientEvents>(event: E, listener: WaClientEvents[E]): void;
  sendText(chatId: string, text: string): Promise<string>;
  sendPoll(
    chatId: string,
    poll: { name: string; options: string[]; allowMultiple: boolean },
  ): Promise<string>;
  sendMedia(
    chatId: string,
    media: WaMedia,
    options: { caption?: string; asDocument?: boolean },
  ): Promise<string>;
  /** Shows "typing…" in the chat (cleared by the next message). */
  sendTyping(chatId: string): Promise<void>;
  requestPairingCode(phoneDigits: string): Promise<string>;
  /** The media of a received message, or null when it cannot be downloaded (expired, gone). */
  downloadMedia(messageId: string): Promise<WaMedia | null>;
  /** The phone chat id (`<digits>@c.us`) behind a `@lid` id, when WhatsApp tells. */
  phoneOfLid(lid: string): Promise<string | null>;
  /** The latest messages this account sent in a chat (to find a send a crash cut off). */
  recentOwnMessages(chatId: string, limit: number): Promise<WaOwnMessage[]>;
  /** Unlinks this device from the phone and closes the browser. */
  logout(): Promise<void>;
  /** Closes the browser. */
  destroy(): Promise<void>;
  /** The Chromium main process, for memory measurement and a last-resort kill. */
  browserPid(): number | null;
}

export interface WaClientOptions {
  numberId: string;
  /** LocalAuth's data path: the profile is `<profilesDir>/session-<numberId>` (profileDirOf). */
  profilesDir: string;
  chromiumPath: string;
  chromiumArgs: string[];
  headless: boolean;
  webVersion?: string;
  webCache: WebCacheSetting;
  blockResources: string[];
  deviceName: string;
  /** Log in with a pairing code sent for this phone (digits only) instead of a QR code. */
  pairWithPhone?: string;
  /** How long to wait for WhatsApp Web's page to boot before giving up. */
  bootTimeoutMs?: number;
}

export type WaClientFactory = (options: WaClientOptions) => WaClient | Promise<WaClient>;

const WHATSAPP_WEB_URL = 'https://web.whatsapp.com/';

type Page = NonNullable<wwebjs.Client['pupPage']>;

/** The part of Puppeteer's HTTPRequest the filter uses. */
interface InterceptedRequest {
  isInterceptResolutionHandled(): boolean;
  resourceType(): string;
  url(): string;
  abort(errorCode: 'blockedbyclient'): Promise<void>;
  continue(): Promise<void>;
}

type RequestHandler = (request: InterceptedRequest) => unknown;

/**
 * Blocks the resource types we never need (images, fonts, media elements) with request interception.
 * whatsapp-web.js registers its own `request` handler right after this (to serve the pinned web
 * version), and two handlers resolving one request crash the process ("Request is already
 * handled!"); so its handler is captured and called from ours: exactly one resolves each request.
 * Media downloads are `fetch` requests inside the page and are not blocked.
 */
export async function installRequestFilter(page: Page, blocked: Set<string>): Promise<void> {
  if (blocked.size === 0) return;
  const target = page as unknown as { on(event: string, handler: RequestHandler): unknown };
  const originalOn = target.on.bind(page);
  let delegate: RequestHandler | null = null;
  target.on = (event: string, handler: RequestHandler) => {
    if (event === 'request' && delegate === null) {
      delegate = handler;
      target.on = originalOn;
      return page;
    }
    return originalOn(event, handler);
  };
  await page.setRequestInterception(true);
  originalOn('request', (request: InterceptedRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    if (blocked.has(request.resourceType()) && request.url() !== WHATSAPP_WEB_URL) {
      request.abort('blockedbyclient').catch(() => undefined);
    } else if (delegate !== null) {
      Promise.resolve(delegate(request)).catch(() => undefined);
    } else {
      request.continue().catch(() => undefined);
    }
  });
}

/** LocalAuth plus our hooks once the browser exists: the request filter and crash detection. */
class ParleyAuth extends wwebjs.LocalAuth {
  constructor(
    options: { clientId: string; dataPath: string },
    blocked: Set<string>,
    onCrash: (reason: string) => void,
  ) {
    super(options);
    // The library calls this again after a logout navigation: hook each page once.
    const hooked = new WeakSet<object>();
    // Declared as a property (not a method) by the library's typings, so assigned here.
    this.afterBrowserInitialized = async () => {
      const client = (this as unknown as { client: wwebjs.Client }).client;
      const page = client.pupPage;
      if (page === undefined || hooked.has(page)) return;
      hooked.add(page);
      client.pupBrowser?.on('disconnected', () => onCrash('BROWSER_CLOSED'));
      page.on('error', () => onCrash('PAGE_CRASHED'));
      await installRequestFilter(page, blocked);
    };
  }
}

function sentId(message: wwebjs.Message | null | undefined, what: string): string {
  // sendMessage resolves null/undefined (with only a console warning) when nothing was sent.
  const id = message?.id?._serialized;
  if (typeof id !== 'string' || id === '') {
    throw new ChannelSendError(`WhatsApp did not confirm the ${what} (no message returned)`, true);
  }
  return id;
}

/** Puppeteer and page errors (closed target, navigation, timeouts) are worth a retry. */
async function checked<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ChannelSendError) throw error;
    throw new ChannelSendError(
      `Could not send the ${what}: ${(error as Error)?.message ?? String(error)}`,
      true,
    );
  }
}

function toIncoming(message: wwebjs.Message): WaIncoming {
  const data = (message as unknown as { _data?: Record<string, unknown> })._data ?? {};
  const location = message.location as unknown as
    | { latitude: number | string; longitude: number | string; name?: string; address?: string }
    | undefined;
  const name = location?.name ?? location?.address;
  return {
    id: message.id._serialized,
    chatId: message.from,
    fromMe: message.fromMe,
    type: String(message.type),
    body: message.body ?? '',
    timestamp: message.timestamp,
    ...(typeof data.notifyName === 'string' && data.notifyName !== '' ? { notifyName: data.notifyName } : {}),
    hasMedia: message.hasMedia,
    ...(typeof data.mimetype === 'string' ? { mimeType: data.mimetype } : {}),
    ...(typeof data.filename === 'string' && data.filename !== '' ? { fileName: data.filename } : {}),
    ...(typeof data.size === 'number' ? { size: data.size } : {}),
    ...(location === undefined
      ? {}
      : {
          location: {
            lat: Number(location.latitude),
            lng: Number(location.longitude),
            ...(name ? { name } : {}),
          },
        }),
    isStatus: Boolean(message.isStatus),
    broadcast: Boolean(message.broadcast),
  };
}

function toVote(vote: wwebjs.PollVote): WaVote {
  const raw = vote as unknown as {
    voter: string;
    selectedOptions: { name?: string; localId: number }[];
    interractedAtTs: number;
    parentMsgKey?: { _serialized?: string };
    parentMessage?: { id?: { _serialized?: string } };
  };
  return {
    pollMessageId: raw.parentMsgKey?._serialized ?? raw.parentMessage?.id?._serialized ?? '',
    voter: raw.voter,
    selected: (raw.selectedOptions ?? []).map((option) => ({
      ...(option.name === undefined ? {} : { name: option.name }),
      localId: option.localId,
    })),
    at: Number(raw.interractedAtTs) || Date.now(),
  };
}

function webCacheOption(setting: WebCacheSetting): wwebjs.WebCacheOptions {
  if (setting.type === 'local') return { type: 'local', path: setting.path, strict: setting.strict };
  if (setting.type === 'remote')
    return { type: 'remote', remotePath: setting.remotePath, strict: setting.strict };
  return { type: 'none' };
}

/** Whether an error was raised inside whatsapp-web.js or Puppeteer (by its stack). */
export function isBrowserLibraryError(reason: unknown): boolean {
  const stack = reason instanceof Error ? (reason.stack ?? '') : '';
  return /[\\/]node_modules[\\/](whatsapp-web\.js|puppeteer-core)[\\/]/.test(stack);
}

let guarded = false;

/**
 * whatsapp-web.js runs page work in event handlers nobody awaits (it re-injects its code after
 * each navigation, e.g. the reload after a logout on the phone). When the browser closes under
 * it (a logout, a crash, a restart), that work rejects ("Execution context was destroyed",
 * "Target closed") with nobody to catch it, and Node's default for an unhandled rejection ends the
 * process: every number of the runtime down because one browser closed. Those rejections are
 * reported to `report` instead; any other unhandled rejection still ends the process as before.
 */
export function guardBrowserLibraryRejections(report: (error: unknown) => void): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    if (!isBrowserLibraryError(reason)) throw reason;
    report(reason);
  });
}

/** The real client: whatsapp-web.js over Puppeteer with the system Chromium. */
export function createWaClient(options: WaClientOptions): WaClient {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<keyof WaClientEvents, Listener[]>();
  const emit = <E extends keyof WaClientEvents>(event: E, ...args: Parameters<WaClientEvents[E]>) => {
    for (const listener of listeners.get(event) ?? []) listener(...args);
  };
  let closing = false;
  const auth = new ParleyAuth(
    { clientId: options.numberId, dataPath: options.profilesDir },
    new Set(options.blockResources),
    (reason) => {
      if (!closing) emit('disconnected', reason);
    },
  );
  const client = new wwebjs.Client({
    authStrategy: auth,
    puppeteer: {
      executablePath: options.chromiumPath,
      headless: options.headless,
      args: options.chromiumArgs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      // DevTools over a pipe instead of a WebSocket: Chromium exits when its end of the pipe
      // closes, so a runtime killed with SIGKILL takes its browsers with it instead of leaving
      // them running, logged in, on the profile (where they keep taking the number's messages).
      pipe: true,
    },
    ...(options.webVersion === undefined ? {} : { webVersion: options.webVersion }),
    webVersionCache: webCacheOption(options.webCache),
    authTimeoutMs: options.bootTimeoutMs ?? 60_000,
    qrMaxRetries: 0,
    takeoverOnConflict: false,
    ...(options.deviceName === '' ? {} : { deviceName: options.deviceName }),
    ...(options.pairWithPhone === undefined
      ? {}
      : { pairWithPhoneNumber: { phoneNumber: options.pairWithPhone, showNotification: true } }),
  });
  // Recent inbound messages, so media can be downloaded without a lookup in the page.
  const recent = new Map<string, wwebjs.Message>();

  client.on('qr', (qr: string) => emit('qr', qr));
  client.on('code', (code: string) => emit('code', code));
  client.on('authenticated', () => emit('authenticated'));
  client.on('ready', () => emit('ready'));
  client.on('auth_failure', (message: string) => emit('auth_failure', String(message)));
  client.on('change_state', (state: string) => emit('change_state', String(state)));
  client.on('disconnected', (reason: string) => {
    if (!closing) emit('disconnected', String(reason));
  });
  client.on('message', (message: wwebjs.Message) => {
    recent.set(message.id._serialized, message);
    if (recent.size > 200) recent.delete(recent.keys().next().value as string);
    emit('message', toIncoming(message));
  });
  client.on('vote_update', (vote: wwebjs.PollVote) => emit('vote_update', toVote(vote)));
  client.on('message_ack', (message: wwebjs.Message, ack: number) => {
    if (message.fromMe) emit('message_ack', message.id._serialized, Number(ack));
  });

  const close = async (work: () => Promise<void>) => {
    closing = true;
    await work();
  };

  return {
    async initialize() {
      try {
        await client.initialize();
      } catch (error) {
        // initialize() leaves Chromium running when it fails (e.g. offline): close it here.
        await close(() => client.destroy()).catch(() => undefined);
        throw error instanceof Error ? error : new Error(String(error));
      }
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as Listener]);
    },
    sendText: (chatId, text) =>
      checked('message', async () => sentId(await client.sendMessage(chatId, text), 'message')),
    sendPoll: (chatId, poll) =>
      checked('poll', async () =>
        sentId(
          await client.sendMessage(
            chatId,
            new wwebjs.Poll(poll.name, poll.options, {
              allowMultipleAnswers: poll.allowMultiple,
              messageSecret: undefined,
            }),
          ),
          'poll',
        ),
      ),
    sendMedia: (chatId, media, { caption, asDocument }) =>
      checked('media', async () => {
        const payload = new wwebjs.MessageMedia(
          media.mimeType,
          media.data.toString('base64'),
          media.fileName ?? null,
          media.data.length,
        );
        const sent = await client.sendMessage(chatId, payload, {
          ...(caption === undefined || caption === '' ? {} : { caption }),
          ...(asDocument ? { sendMediaAsDocument: true } : {}),
        });
        return sentId(sent, 'media');
      }),
    async sendTyping(chatId) {
      const chat = await client.getChatById(chatId);
      await chat.sendStateTyping();
    },
    requestPairingCode: (phoneDigits) => client.requestPairingCode(phoneDigits, true),
    async downloadMedia(messageId) {
      const message = recent.get(messageId) ?? (await client.getMessageById(messageId));
      if (message === undefined || message === null) return null;
      const media = await message.downloadMedia();
      if (media === undefined || media === null || typeof media.data !== 'string') return null;
      return {
        mimeType: media.mimetype,
        data: Buffer.from(media.data, 'base64'),
        ...(media.filename ? { fileName: media.filename } : {}),
      };
    },
    async phoneOfLid(lid) {
      const [found] = await client.getContactLidAndPhone([lid]);
      return typeof found?.pn === 'string' && found.pn !== '' ? found.pn : null;
    },
    async recentOwnMessages(chatId, limit) {
      const chat = await client.getChatById(chatId);
      const messages = await chat.fetchMessages({ limit, fromMe: true });
      return messages.map((message) => ({
        id: message.id._serialized,
        type: String(message.type),
        body: message.body ?? '',
        timestamp: message.timestamp,
      }));
    },
    logout: () => close(() => client.logout()),
    destroy: () => close(() => client.destroy()),
    browserPid: () => client.pupBrowser?.process()?.pid ?? null,
  };
}
