/**
 * WhatsApp Web stand-in: drives the REAL whatsapp-web.js `Client`, in a real Chromium, offline.
 *
 * whatsapp-web.js loads WhatsApp Web by navigating to https://web.whatsapp.com/; with
 * `webVersionCache: { type: 'local', path, strict: true }` and `webVersion: V` it intercepts that request and
 * answers it with the file `path/V.html`. This driver writes its stand-in page (page.js) there and plays the
 * WhatsApp server and the user's phone: the page connects back to a WebSocket on 127.0.0.1 (directly when
 * Chromium lets a public origin reach loopback, else through a popup bridge window the driver serves), and
 * the test talks to the driver: scan the QR, receive messages, vote on polls, acknowledge, drop the
 * connection, log out from the phone…
 *
 * One driver is one WhatsApp account with at most one active WhatsApp Web page at a time. The Client can run
 * in this process or in another one (the page only needs to reach 127.0.0.1), so a runtime spawned as a
 * child process works the same way: give it `clientOptions()`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';

/* ------------------------------------------------------------------ what the stand-in was built for */

/**
 * The stand-in imitates the WhatsApp Web that this exact whatsapp-web.js version expects. Any other installed
 * version fails `standin.test.ts` until someone re-reads the library and updates page.js.
 */
export const STANDIN_BUILT_FOR = {
  /** whatsapp-web.js package version the module list was taken from. */
  wwebjs: '1.34.7',
  /** `window.Debug.VERSION` the page reports; also the library's DefaultOptions.webVersion for 1.34.7. */
  webVersion: '2.3000.1017054665',
} as const;

/**
 * Module ids whatsapp-web.js 1.34.7 references (in src/) that the stand-in deliberately does NOT implement:
 * groups, channels/newsletters, status, labels, business/catalog, profile pictures, stickers, edits/deletes,
 * events, blocking, customer notes, ciphertext recovery, and the like. A call into one of them fails loudly
 * in the page (unknown module) and in `assertCovers()`.
 */
export const OUT_OF_SCOPE_MODULES: readonly string[] = [
  'WADeprecatedSendIq',
  'WAJids',
  'WAMediaCalculateFilehash',
  'WAPhoneFindCC',
  'WASmaxGroupsAddParticipantsRPC',
  'WASmaxGroupsMembershipRequestsActionRPC',
  'WAWap',
  'WAWebApiDeviceList',
  'WAWebApiMembershipApprovalRequestStore',
  'WAWebApiMessageInfoStore',
  'WAWebBizGatingUtils',
  'WAWebBizOrderBridge',
  'WAWebBizProductCatalogBridge',
  'WAWebBlockContactAction',
  'WAWebBlockContactUtils',
  'WAWebBotMessageSecret',
  'WAWebBotProfileCollection',
  'WAWebChangeNewsletterOwnerAction',
  'WAWebChatClearBridge',
  'WAWebChatForwardMessage',
  'WAWebChatMessageSearch',
  'WAWebChatSendMessages',
  'WAWebContactCollection',
  'WAWebContactProfilePicThumbBridge',
  'WAWebContactStatusBridge',
  'WAWebCountriesNativeCountryNames',
  'WAWebDeleteChatAction',
  'WAWebDeleteContactAction',
  'WAWebDemoteNewsletterAdminAction',
  'WAWebDrawerManager',
  'WAWebEditNewsletterMetadataAction',
  'WAWebExitGroupAction',
  'WAWebFindCommonGroupsContactAction',
  'WAWebFrontendVcardUtils',
  'WAWebGenerateEventCallLink',
  'WAWebGroupCreateJob',
  'WAWebGroupInviteJob',
  'WAWebGroupInviteV4Job',
  'WAWebGroupModifyInfoJob',
  'WAWebGroupQueryJob',
  'WAWebImageUtils',
  'WAWebJidToWid',
  'WAWebL10N',
  'WAWebLidMigrationUtils',
  'WAWebLoadNewsletterPreviewChatAction',
  'WAWebMediaInMemoryBlobCache',
  'WAWebMediaUpdateMsg',
  'WAWebMexAcceptNewsletterAdminInviteJob',
  'WAWebMexFetchGroupInviteCodeJob',
  'WAWebMexFetchNewsletterSubscribersJob',
  'WAWebMexRevokeNewsletterAdminInviteJob',
  'WAWebModifyParticipantsGroupAction',
  'WAWebMsgActionCapability',
  'WAWebMsgDataFromModel',
  'WAWebNewsletterCreateQueryJob',
  'WAWebNewsletterDeleteAction',
  'WAWebNewsletterDemoteAdminJob',
  'WAWebNewsletterDirectorySearchAction',
  'WAWebNewsletterGatingUtils',
  'WAWebNewsletterMetadataQueryJob',
  'WAWebNewsletterModelUtils',
  'WAWebNewsletterSendMessageJob',
  'WAWebNewsletterSendMsgAction',
  'WAWebNewsletterSubscribeAction',
  'WAWebNewsletterSubscriberListAction',
  'WAWebNewsletterUnsubscribeAction',
  'WAWebNewsletterUpdateMsgsRecordsJob',
  'WAWebNewsletterUpdateUserSettingJob',
  'WAWebNonMessageDataRequestPlaceholderMessageResendUtils',
  'WAWebNoteAction',
  'WAWebPhoneUtils',
  'WAWebPinInChatSchema',
  'WAWebPinMsgConstants',
  'WAWebPollsSendVoteMsgAction',
  'WAWebRevokeStatusAction',
  'WAWebSaveContactAction',
  'WAWebSendEventEditMsgAction',
  'WAWebSendEventResponseMsgAction',
  'WAWebSendMessageEditAction',
  'WAWebSendNonMessageDataRequest',
  'WAWebSendPinMessageAction',
  'WAWebSendStatusMsgAction',
  'WAWebSetPropertyGroupAction',
  'WAWebSetPushnameConnAction',
  'WAWebStartMediaUploadQpl',
  'WAWebStatusGatingUtils',
  'WAWebUploadManager',
  'WAWebUserPrefsGeneral',
  'WAWebUserPrefsNotifications',
  'WAWebVcardGetNameFromParsed',
  'WAWebVcardParsingUtils',
  'WAWebWidToJid',
];

/** Extra Chromium flag that lets the page reach 127.0.0.1 directly (no popup bridge). Optional. */
export const DIRECT_LOOPBACK_ARG = '--disable-features=LocalNetworkAccessChecks';

const PAGE_JS_PATH = fileURLToPath(new URL('./page.js', import.meta.url));
const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

/** The installed whatsapp-web.js: version, directory, and its default WhatsApp Web version. */
export function installedWwebjs(): { version: string; dir: string; defaultWebVersion: string } {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('whatsapp-web.js'));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const constants = require(join(dir, 'src/util/Constants.js')) as { DefaultOptions: { webVersion: string } };
  return { version: pkg.version, dir, defaultWebVersion: constants.DefaultOptions.webVersion };
}

function listJs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listJs(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
}

/** Every WhatsApp Web module id the installed library's source mentions (`require('WA…')`, `module: 'WA…'`). */
export function libraryModuleIds(): string[] {
  const ids = new Set<string>();
  for (const file of listJs(join(installedWwebjs().dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/require\(\s*['"](WA\w*)['"]/g)) ids.add(m[1] as string);
    for (const m of text.matchAll(/module:\s*['"](WA\w*)['"]/g)) ids.add(m[1] as string);
  }
  return [...ids].sort();
}

/** The module ids page.js implements (`defineModule('…')`). */
export function standinModuleIds(): string[] {
  const text = readFileSync(PAGE_JS_PATH, 'utf8');
  return [...text.matchAll(/defineModule\(\s*'(\w+)'/g)].map((m) => m[1] as string).sort();
}

/**
 * Static check: the library's module ids against implemented + out-of-scope. `unaccounted` are ids a new
 * library version added (the stand-in must learn them or list them out of scope); `stale` are listed ids the
 * library no longer mentions.
 */
export function moduleInventory(): {
  library: string[];
  implemented: string[];
  unaccounted: string[];
  stale: string[];
} {
  const library = libraryModuleIds();
  const implemented = standinModuleIds();
  const known = new Set([...implemented, ...OUT_OF_SCOPE_MODULES]);
  const lib = new Set(library);
  return {
    library,
    implemented,
    unaccounted: library.filter((id) => !known.has(id)),
    stale: [...known].filter((id) => !lib.has(id)).sort(),
  };
}

/* ------------------------------------------------------------------ public types */

export type ReadyMode =
  /** Normal: after authentication the page syncs and the client emits `authenticated` then `ready`. */
  | 'normal'
  /** The sync never completes: neither `authenticated` nor `ready` (the page stays CONNECTED). */
  | 'stall-sync'
  /** `authenticated` fires, but injecting the library's utilities fails, so `ready` never comes. */
  | 'stall-after-auth';

export type Transport = 'auto' | 'websocket' | 'bridge';

export interface StandinOptions {
  /** The account's own phone number (digits). */
  me?: string;
  /** The account's own LID user part (digits). */
  meLid?: string;
  pushname?: string;
  platform?: string;
  /** WhatsApp Web version to pose as (file name and `window.Debug.VERSION`). */
  webVersion?: string;
  /** Directory to write `<version>.html` into (default: a fresh temp dir). */
  cacheDir?: string;
  /** How the page reaches the driver (default 'auto': direct WebSocket, else the popup bridge). */
  transport?: Transport;
  /** Phone numbers (digits) that are not on WhatsApp (`getNumberId` → null). */
  unregistered?: string[];
  readyMode?: ReadyMode;
  log?: (line: string) => void;
}

export interface InboundOptions {
  /** Message id (WhatsApp's key id); default: a random 32-hex id, like an Android phone's. */
  id?: string;
  /** Unix seconds or a Date; default now. */
  timestamp?: number | Date;
  /** Send from `<lid>@lid` (the phone number stays resolvable through the contact). */
  lid?: string;
  /** Sender's push name. */
  pushname?: string;
  /** Serialized id of a message this one replies to. */
  quotedMsgId?: string;
}

export interface InboundMedia {
  mimetype: string;
  data: Buffer | string;
  filename?: string;
  caption?: string;
  /** Force a WhatsApp message type ('image', 'document', 'ptt', …); default from the mimetype. */
  type?: string;
}

export interface InboundLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface SentMessage {
  /** Serialized message id, as `message.id._serialized` on the client. */
  id: string;
  chatId: string;
  type: string;
  /** Unix seconds. */
  t: number;
  ack: number;
  body?: string;
  caption?: string;
  poll?: { name: string; options: string[]; allowMultipleAnswers: boolean };
  media?: { mimetype: string; filename?: string; size: number; data: string };
  location?: { latitude: number; longitude: number; description?: string; url?: string };
  reaction?: { msgId: string; emoji: string };
  quotedMsgId?: string;
  /** The page's full record of the message. */
  raw: Record<string, unknown>;
}

export interface StandinEvent {
  kind: string;
  at: number;
  [key: string]: unknown;
}

export interface PairingRequest {
  phoneNumber: string;
  code: string;
  at: number;
}

export interface CoverageReport {
  webVersion: string;
  builtFor: typeof STANDIN_BUILT_FOR;
  /** Every module id the library asked the page for. */
  required: string[];
  /** Unknown module ids and `Module.member` paths the library touched but the stand-in lacks. */
  missing: string[];
}

/* ------------------------------------------------------------------ minimal WebSocket server side */

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** RFC 6455, server side, text frames only: enough for one JSON control channel. */
class WsConnection extends EventEmitter {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  closed = false;

  constructor(private readonly socket: Duplex) {
    super();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.buf.length < 2) return;
      const b0 = this.buf[0] as number;
      const b1 = this.buf[1] as number;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buf.length < 4) return;
        length = this.buf.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buf.length < 10) return;
        length = Number(this.buf.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (this.buf.length < offset + length) return;
      const payload = Buffer.from(this.buf.subarray(offset, offset + length));
      if (masked) {
        for (let i = 0; i < payload.length; i++) {
          payload[i] = (payload[i] as number) ^ (this.buf[maskAt + (i & 3)] as number);
        }
      }
      this.buf = this.buf.subarray(offset + length);
      this.onFrame((b0 & 0x80) !== 0, b0 & 0x0f, payload);
    }
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0:
      case 0x1:
      case 0x2:
        this.fragments.push(payload);
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          const text = opcode === 0x2 ? null : whole.toString('utf8');
          this.fragments = [];
          if (text !== null) this.emit('message', text);
        }
        return;
      case 0x8:
        this.writeFrame(0x8, payload.subarray(0, 2));
        this.socket.end();
        this.finish();
        return;
      case 0x9:
        this.writeFrame(0xa, payload);
        return;
      default:
        return;
    }
  }

  send(text: string): void {
    this.writeFrame(0x1, Buffer.from(text, 'utf8'));
  }

  private writeFrame(opcode: number, payload: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    let header: Buffer;
    if (payload.length < 126) {
      header = Buffer.from([0x80 | opcode, payload.length]);
    } else if (payload.length < 0x10000) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(payload.length, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  close(): void {
    if (this.closed) return;
    this.writeFrame(0x8, Buffer.from([0x03, 0xe8]));
    this.socket.end();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

const BRIDGE_HTML = `<!doctype html><meta charset="utf-8"><title>wa-standin bridge</title><script>
(() => {
  const target = ${JSON.stringify(WHATSAPP_ORIGIN)};
  const nonce = new URLSearchParams(location.search).get('nonce');
  const ws = new WebSocket('ws://' + location.host + '/ws');
  const post = (msg) => { if (window.opener) window.opener.postMessage({ ...msg, nonce }, target); };
  ws.onopen = () => post({ standin: 'open' });
  ws.onmessage = (e) => post({ standin: 'message', text: e.data });
  ws.onclose = () => post({ standin: 'closed' });
  addEventListener('message', (e) => {
    if (e.origin !== target || !e.data || e.data.standin !== 'send') return;
    if (ws.readyState === 1) ws.send(e.data.text);
  });
})();
</script>`;

/* ------------------------------------------------------------------ driver */

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class PageLink {
  transport = 'unknown';
  state = 'OPENING';
  token: string | null = null;
  superseded = false;
  readonly pending = new Map<string, Pending>();
  constructor(
    readonly id: number,
    readonly ws: WsConnection,
  ) {}
}

interface InboundDesc {
  kind: 'text' | 'media' | 'location';
  id: string;
  from: string;
  phone?: string;
  pushname?: string;
  t: number;
  body?: string;
  media?: {
    mimetype: string;
    data: string;
    filename?: string;
    caption?: string;
    size: number;
    sha256: string;
    type?: string;
  };
  location?: InboundLocation;
  quotedId?: string;
}

type StoredRecord =
  | { kind: 'inbound'; desc: InboundDesc }
  | { kind: 'outbound'; stored: Record<string, unknown> };

interface Delivery {
  cmd: string;
  payload: Record<string, unknown>;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

const digits = (phone: string): string => {
  const d = phone.replace(/@.*$/, '').replace(/\D/g, '');
  if (!d) throw new Error(`not a phone number: ${phone}`);
  return d;
};
const toSeconds = (t: number | Date | undefined): number =>
  t === undefined ? Math.floor(Date.now() / 1000) : t instanceof Date ? Math.floor(t.getTime() / 1000) : t;
const randomId = (): string => randomBytes(16).toString('hex').toUpperCase();

const aggregate = { required: new Set<string>(), missing: new Set<string>() };

export class WhatsAppStandin {
  readonly webVersion: string;
  readonly cacheDir: string;
  readonly me: string;
  readonly meLid: string;
  readonly pushname: string;
  readyMode: ReadyMode;

  private readonly server: Server;
  private readonly ownsCacheDir: boolean;
  private readonly platform: string;
  private readonly transportMode: Transport;
  private readonly unregistered: Set<string>;
  private readonly log: (line: string) => void;
  private port = 0;
  private linkSeq = 0;
  private active: PageLink | null = null;
  private readonly links = new Set<PageLink>();
  private readonly tokens = new Set<string>();
  private qrRef = '';
  private linkUp = true;
  private linkDownState = 'TIMEOUT';
  private readonly records = new Map<string, StoredRecord>();
  private readonly sentList: SentMessage[] = [];
  private readonly eventList: StandinEvent[] = [];
  private readonly pairing: PairingRequest[] = [];
  private readonly deliveries: Delivery[] = [];
  private flushing = false;
  private cmdSeq = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly required = new Set<string>();
  private readonly missing = new Set<string>();

  private constructor(options: StandinOptions) {
    this.webVersion = options.webVersion ?? STANDIN_BUILT_FOR.webVersion;
    this.ownsCacheDir = options.cacheDir === undefined;
    this.cacheDir = options.cacheDir ?? mkdtempSync(join(tmpdir(), 'wa-standin-cache-'));
    this.me = digits(options.me ?? '15550001000');
    this.meLid = digits(options.meLid ?? '210000000000001');
    this.pushname = options.pushname ?? 'Parley Test';
    this.platform = options.platform ?? 'android';
    this.transportMode = options.transport ?? 'auto';
    this.unregistered = new Set((options.unregistered ?? []).map(digits));
    this.readyMode = options.readyMode ?? 'normal';
    this.log =
      options.log ?? (process.env.STANDIN_DEBUG ? (line) => console.error(`[standin] ${line}`) : () => {});
    this.server = createServer((req, res) => {
      if (req.url?.startsWith('/bridge')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(BRIDGE_HTML);
      } else {
        res.writeHead(404).end();
      }
    });
    this.server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      const key = req.headers['sec-websocket-key'];
      if (!req.url?.startsWith('/ws') || typeof key !== 'string') {
        socket.destroy();
        return;
      }
      const accept = createHash('sha1')
        .update(key + WS_GUID)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
      const ws = new WsConnection(socket);
      this.attach(ws);
      if (head.length) ws.onData(head);
    });
  }

  /** Start the fake server on 127.0.0.1 and write `<cacheDir>/<webVersion>.html`. */
  static async start(options: StandinOptions = {}): Promise<WhatsAppStandin> {
    const standin = new WhatsAppStandin(options);
    await new Promise<void>((resolve, reject) => {
      standin.server.once('error', reject);
      standin.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = standin.server.address();
    standin.port = typeof address === 'object' && address ? address.port : 0;
    writeFileSync(join(standin.cacheDir, `${standin.webVersion}.html`), standin.html());
    return standin;
  }

  /** Its HTTP address: stands for https://web.whatsapp.com/ in a runtime's reachability check. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Out of reach, as WhatsApp Web is from a machine offline: it stops listening and every link drops. */
  async goOffline(): Promise<void> {
    for (const link of this.links) link.ws.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Reachable again, on the same port (the page's HTML has it). */
  async goOnline(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Options to spread into `new Client({...})`. */
  clientOptions(): { webVersion: string; webVersionCache: { type: 'local'; path: string; strict: true } } {
    return {
      webVersion: this.webVersion,
      webVersionCache: { type: 'local', path: this.cacheDir, strict: true },
    };
  }

  /** The page HTML (what whatsapp-web.js serves in place of web.whatsapp.com). */
  html(): string {
    const config = {
      version: this.webVersion,
      wsUrl: `ws://127.0.0.1:${this.port}/ws`,
      bridgeUrl: `http://127.0.0.1:${this.port}/bridge`,
      bridgeOrigin: `http://127.0.0.1:${this.port}`,
      transport: this.transportMode,
    };
    const script = readFileSync(PAGE_JS_PATH, 'utf8');
    if (script.includes('</script')) throw new Error('page.js must not contain "</script"');
    return [
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>WhatsApp</title></head>',
      '<body><div id="app"></div>',
      `<script>window.__STANDIN_CONFIG__ = ${JSON.stringify(config)};</script>`,
      `<script>\n${script}\n</script>`,
      '</body></html>',
    ].join('\n');
  }

  /** How the current page reaches the driver: 'websocket', 'bridge', or null without a page. */
  get transport(): string | null {
    return this.active?.transport ?? null;
  }

  /** The page's `Socket.state` (OPENING, UNPAIRED, PAIRING, CONNECTED, TIMEOUT, …), or null without a page. */
  get pageState(): string | null {
    return this.active?.state ?? null;
  }

  /* -------------------------------------------------------------- authentication */

  /** The phone scans the QR code currently shown (or the given `qr` string, which must be current). */
  async scanQr(qr?: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.isUnpaired(), timeoutMs, 'a page showing a QR code');
    if (qr !== undefined && qr.split(',')[0] !== this.qrRef)
      throw new Error('stale QR code: its ref is not current');
    await this.pair();
  }

  /** The server issues a new QR ref (the client emits a new `qr`). Returns the ref. */
  async rotateQr(): Promise<string> {
    this.qrRef = this.newQrRef();
    await this.command('qr-ref', { ref: this.qrRef });
    return this.qrRef;
  }

  /** Pairing-code requests the client made (`requestPairingCode` / `pairWithPhoneNumber`). */
  pairingRequests(): PairingRequest[] {
    return [...this.pairing];
  }

  /** The phone enters the pairing code (default: the latest one issued); the page then logs in. */
  async confirmPairingCode(code?: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.pairing.length > 0, timeoutMs, 'a pairing code request');
    const latest = this.pairing[this.pairing.length - 1] as PairingRequest;
    if (code !== undefined && code !== latest.code) throw new Error(`wrong pairing code ${code}`);
    await this.waitFor(() => this.isUnpaired(), timeoutMs, 'an unpaired page');
    await this.pair();
  }

  /** Make `ready` (and possibly `authenticated`) never fire for pages that start or pair from now on. */
  setReadyMode(mode: ReadyMode): void {
    this.readyMode = mode;
  }

  /* -------------------------------------------------------------- inbound traffic (phone users -> client) */

  /** A text message from `fromPhone` (E.164, digits or `…@c.us`) arrives. Resolves with its serialized id. */
  async receiveText(fromPhone: string, text: string, options: InboundOptions = {}): Promise<string> {
    return this.inbound({ ...this.inboundBase(fromPhone, options), kind: 'text', body: text });
  }

  /** A media message arrives (`message.hasMedia`, `downloadMedia()` returns the bytes). */
  async receiveMedia(fromPhone: string, media: InboundMedia, options: InboundOptions = {}): Promise<string> {
    const bytes = typeof media.data === 'string' ? Buffer.from(media.data, 'base64') : media.data;
    return this.inbound({
      ...this.inboundBase(fromPhone, options),
      kind: 'media',
      media: {
        mimetype: media.mimetype,
        data: bytes.toString('base64'),
        filename: media.filename,
        caption: media.caption,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('base64'),
        type: media.type,
      },
    });
  }

  /** A location message arrives. */
  async receiveLocation(
    fromPhone: string,
    location: InboundLocation,
    options: InboundOptions = {},
  ): Promise<string> {
    return this.inbound({ ...this.inboundBase(fromPhone, options), kind: 'location', location });
  }

  /**
   * `voterPhone` votes on a poll the client sent: the client emits `vote_update` with these options selected
   * (an empty list withdraws the vote).
   */
  async votePoll(
    pollMsgId: string,
    voterPhone: string,
    selectedOptionNames: string[],
    options: { lid?: string; timestamp?: number | Date } = {},
  ): Promise<void> {
    const record = this.records.get(pollMsgId);
    if (record?.kind !== 'outbound' || record.stored.type !== 'poll_creation') {
      throw new Error(`no poll with id ${pollMsgId} was sent`);
    }
    const pollOptions = record.stored.pollOptions as Array<{ name: string; localId: number }>;
    const localIds = selectedOptionNames.map((name) => {
      const option = pollOptions.find((o) => o.name === name);
      if (!option) throw new Error(`poll ${pollMsgId} has no option "${name}"`);
      return option.localId;
    });
    const voter = options.lid ? `${digits(options.lid)}@lid` : `${digits(voterPhone)}@c.us`;
    const tMs = options.timestamp === undefined ? Date.now() : toSeconds(options.timestamp) * 1000;
    await this.enqueue('vote', { desc: { pollId: pollMsgId, voter, localIds, id: randomId(), tMs } });
  }

  /** `fromPhone` reacts to a message (`message_reaction`). */
  async react(msgId: string, fromPhone: string, emoji: string): Promise<void> {
    if (!this.records.has(msgId)) throw new Error(`unknown message ${msgId}`);
    await this.enqueue('reaction', {
      desc: { msgId, from: `${digits(fromPhone)}@c.us`, emoji, id: randomId(), tMs: Date.now() },
    });
  }

  /** An incoming call (`call` event). */
  async incomingCall(fromPhone: string, options: { isVideo?: boolean } = {}): Promise<void> {
    await this.enqueue('call', {
      desc: { id: randomId(), from: `${digits(fromPhone)}@c.us`, isVideo: options.isVideo ?? false },
    });
  }

  /** A delivery receipt for a message the client sent: 2 = delivered, 3 = read, 4 = played (`message_ack`). */
  async ack(msgId: string, level: number): Promise<void> {
    if (!this.records.has(msgId)) throw new Error(`unknown message ${msgId}`);
    const sent = this.sentList.find((m) => m.id === msgId);
    if (sent) sent.ack = Math.max(sent.ack, level);
    await this.enqueue('ack', { desc: { id: msgId, ack: level } });
  }

  /* -------------------------------------------------------------- outbound traffic (client -> phone users) */

  /** Every message the client sent that reached the server, in order. */
  sent(): SentMessage[] {
    return [...this.sentList];
  }

  /** The first sent message (from now or already sent) matching `predicate`. */
  async waitForSent(
    predicate: (m: SentMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<SentMessage> {
    let found: SentMessage | undefined;
    await this.waitFor(
      () => {
        found = this.sentList.find(predicate);
        return found !== undefined;
      },
      timeoutMs,
      'a matching sent message',
    );
    return found as SentMessage;
  }

  /** Observations other than messages: seen, chatstate, presence, logout, reset-state, page-error… */
  events(kind?: string): StandinEvent[] {
    return kind ? this.eventList.filter((e) => e.kind === kind) : [...this.eventList];
  }

  async waitForEvent(kind: string, predicate: (e: StandinEvent) => boolean = () => true, timeoutMs = 10_000) {
    let found: StandinEvent | undefined;
    await this.waitFor(
      () => {
        found = this.eventList.find((e) => e.kind === kind && predicate(e));
        return found !== undefined;
      },
      timeoutMs,
      `event ${kind}`,
    );
    return found as StandinEvent;
  }

  /* -------------------------------------------------------------- connection */

  /**
   * The connection to WhatsApp drops: the page's state becomes `state` (default TIMEOUT: the client emits
   * `change_state` and stays alive). States the library does not accept (CONFLICT, UNPAIRED, UNLAUNCHED, …)
   * make it emit `disconnected` and destroy itself. Traffic both ways is held until `reconnect()`.
   */
  async disconnect(state = 'TIMEOUT'): Promise<void> {
    this.linkUp = false;
    this.linkDownState = state;
    await this.commandTolerant('link', { up: false, state });
  }

  /** The connection comes back (OPENING → CONNECTED); held traffic flows. */
  async reconnect(): Promise<void> {
    this.linkUp = true;
    // A page that lost to another session is finished: the server never talks to it again, and
    // the next page learns from its welcome that the link is up.
    if (this.active?.state === 'CONFLICT') return;
    await this.commandTolerant('link', { up: true });
    void this.flush();
  }

  /** Another WhatsApp Web session takes over (CONFLICT). */
  async conflict(): Promise<void> {
    await this.disconnect('CONFLICT');
  }

  /**
   * The user logs this device out from the phone: the session is revoked, the page announces the logout and
   * reloads; the client emits `disconnected` with reason LOGOUT, and the next page shows a QR code again.
   */
  async logoutFromPhone(): Promise<void> {
    this.tokens.clear();
    this.event({ kind: 'logout', by: 'phone' });
    await this.commandTolerant('logout', {});
  }

  /** Whether a paired session exists (the client's stored session would be accepted). */
  get hasSession(): boolean {
    return this.tokens.size > 0;
  }

  /** Wait until the page's Socket state is `state`. */
  async waitForState(state: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(() => this.active?.state === state, timeoutMs, `page state ${state}`);
  }

  /** Debug snapshot of the page (state, counts, coverage). */
  async snapshot(): Promise<Record<string, unknown>> {
    return this.command('snapshot', {});
  }

  /* -------------------------------------------------------------- coverage */

  /** Module ids the library asked for (through this driver's pages), and what the stand-in lacked. */
  coverage(): CoverageReport {
    return {
      webVersion: this.webVersion,
      builtFor: STANDIN_BUILT_FOR,
      required: [...this.required].sort(),
      missing: [...this.missing].sort(),
    };
  }

  /** Throw unless every module (and member) the library touched so far exists in the stand-in. */
  assertCovers(options: { allowMissing?: string[] } = {}): CoverageReport {
    return checkCoverage(this.coverage(), options.allowMissing ?? []);
  }

  /* -------------------------------------------------------------- lifecycle */

  async close(): Promise<void> {
    for (const link of this.links) link.ws.close();
    for (const waiter of this.waiters) this.waiters.delete(waiter);
    if (this.server.listening) {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
    }
    if (this.ownsCacheDir) rmSync(this.cacheDir, { recursive: true, force: true });
  }

  /* -------------------------------------------------------------- internals */

  private newQrRef(): string {
    return `2@${randomBytes(48).toString('base64')}`;
  }

  private isUnpaired(): boolean {
    return (
      this.active !== null && (this.active.state === 'UNPAIRED' || this.active.state === 'UNPAIRED_IDLE')
    );
  }

  private account(): Record<string, unknown> {
    return { me: this.me, lid: this.meLid, pushname: this.pushname, platform: this.platform };
  }

  private async pair(): Promise<void> {
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    const link = this.active as PageLink;
    link.token = token;
    this.event({ kind: 'paired' });
    await this.command('paired', { token, account: this.account(), readyMode: this.readyMode });
  }

  private inboundBase(fromPhone: string, options: InboundOptions) {
    const phone = digits(fromPhone);
    return {
      id: options.id ?? randomId(),
      from: options.lid ? `${digits(options.lid)}@lid` : `${phone}@c.us`,
      phone,
      pushname: options.pushname,
      t: toSeconds(options.timestamp),
      quotedId: options.quotedMsgId,
    };
  }

  private async inbound(desc: InboundDesc): Promise<string> {
    const id = `false_${desc.from}_${desc.id}`;
    this.records.set(id, { kind: 'inbound', desc });
    await this.enqueue('inbound', { desc });
    return id;
  }

  private canDeliver(): boolean {
    return this.linkUp && this.active !== null && !this.active.ws.closed && this.active.state === 'CONNECTED';
  }

  /** Server-to-page traffic: delivered in order while the link is up; held otherwise. */
  private enqueue(cmd: string, payload: Record<string, unknown>): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.deliveries.push({ cmd, payload, resolve, reject });
    });
    if (!this.canDeliver()) {
      done.catch(() => {});
      return Promise.resolve();
    }
    void this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.deliveries.length && this.canDeliver()) {
        const item = this.deliveries[0] as Delivery;
        const link = this.active as PageLink;
        try {
          await this.command(item.cmd, item.payload);
          this.deliveries.shift();
          item.resolve();
        } catch (error) {
          if (link.ws.closed || link !== this.active) continue; // the page went away: keep it for the next one
          this.deliveries.shift();
          this.event({ kind: 'delivery-error', cmd: item.cmd, message: String(error) });
          item.reject(error as Error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** A command for the current page, if any; the page going away meanwhile (say, the client destroying
   * itself on CONFLICT) is not an error. */
  private async commandTolerant(cmd: string, payload: Record<string, unknown>): Promise<void> {
    const link = this.active;
    if (!link || link.ws.closed) return;
    try {
      await this.command(cmd, payload);
    } catch (error) {
      if (!link.ws.closed) throw error;
    }
  }

  private command(
    cmd: string,
    payload: Record<string, unknown>,
    timeoutMs = 30_000,
  ): Promise<Record<string, unknown>> {
    const link = this.active;
    if (!link || link.ws.closed)
      return Promise.reject(new Error(`no WhatsApp Web page connected (for ${cmd})`));
    const rid = `d${++this.cmdSeq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        link.pending.delete(rid);
        reject(new Error(`page did not answer ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      link.pending.set(rid, { resolve, reject, timer });
      link.ws.send(JSON.stringify({ t: 'cmd', rid, cmd, ...payload }));
    });
  }

  private attach(ws: WsConnection): void {
    const link = new PageLink(++this.linkSeq, ws);
    this.links.add(link);
    this.log(`link ${link.id} opened`);
    ws.on('message', (text: string) => {
      try {
        this.onPageMessage(link, JSON.parse(text) as Record<string, unknown>);
      } catch (error) {
        this.log(`bad message from page: ${String(error)}`);
      }
    });
    ws.on('close', () => {
      this.log(`link ${link.id} closed`);
      this.links.delete(link);
      for (const pending of link.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error('page disconnected'));
      }
      link.pending.clear();
      if (this.active === link) this.active = null;
      this.wake();
    });
  }

  private reply(link: PageLink, rid: unknown, result: unknown, error?: string): void {
    link.ws.send(JSON.stringify(error ? { t: 'res', rid, error } : { t: 'res', rid, result: result ?? {} }));
  }

  private onPageMessage(link: PageLink, message: Record<string, unknown>): void {
    switch (message.t) {
      case 'hello':
        this.onHello(link, message);
        return;
      case 'res': {
        const pending = link.pending.get(message.rid as string);
        if (!pending) return;
        link.pending.delete(message.rid as string);
        clearTimeout(pending.timer);
        if (message.error) pending.reject(new Error(String(message.error)));
        else pending.resolve((message.result ?? {}) as Record<string, unknown>);
        return;
      }
      case 'note':
        this.onNote(link, message);
        return;
      case 'req':
        if (link.superseded) {
          this.reply(link, message.rid, null, 'superseded by another WhatsApp Web session');
          return;
        }
        Promise.resolve()
          .then(() => this.onRequest(link, message))
          .then(
            (result) => this.reply(link, message.rid, result),
            (error: unknown) =>
              this.reply(link, message.rid, null, String((error as Error)?.message ?? error)),
          );
        return;
      default:
        return;
    }
  }

  private onHello(link: PageLink, message: Record<string, unknown>): void {
    const previous = this.active;
    if (previous && previous !== link && !previous.ws.closed) {
      previous.superseded = true;
      if (previous.state === 'CONNECTED') {
        // Another WhatsApp Web took over this account: the old one sees CONFLICT.
        previous.ws.send(
          JSON.stringify({ t: 'cmd', rid: 'conflict', cmd: 'link', up: false, state: 'CONFLICT' }),
        );
      }
    }
    this.active = link;
    link.transport = String(message.transport ?? 'unknown');
    link.state = String(message.state ?? 'OPENING');
    const token = typeof message.session === 'string' ? message.session : null;
    this.event({ kind: 'page', link: link.id, transport: link.transport, hadSession: token !== null });
    this.log(`hello from link ${link.id} via ${link.transport}, session ${token ? 'present' : 'none'}`);
    if (token && this.tokens.has(token)) {
      link.token = token;
      void this.command('welcome', {
        session: 'valid',
        account: this.account(),
        readyMode: this.readyMode,
        link: this.linkUp,
        linkState: this.linkDownState,
      }).catch((e) => this.log(`welcome failed: ${String(e)}`));
    } else {
      this.qrRef = this.newQrRef();
      void this.command('welcome', {
        session: token ? 'invalid' : 'none',
        qrRef: this.qrRef,
        readyMode: this.readyMode,
      }).catch((e) => this.log(`welcome failed: ${String(e)}`));
    }
    this.wake();
  }

  private onNote(link: PageLink, message: Record<string, unknown>): void {
    switch (message.note) {
      case 'state':
        link.state = String(message.state);
        this.log(`link ${link.id} state ${link.state}`);
        if (link === this.active && link.state === 'CONNECTED') void this.flush();
        break;
      case 'coverage':
        for (const id of (message.required as string[]) ?? []) {
          this.required.add(id);
          aggregate.required.add(id);
        }
        for (const id of (message.missing as string[]) ?? []) {
          this.missing.add(id);
          aggregate.missing.add(id);
        }
        break;
      case 'event': {
        const { t: _t, note: _note, ...rest } = message;
        this.event({ ...(rest as { kind: string }), link: link.id });
        break;
      }
      case 'error':
        this.log(`page error in ${String(message.where)}: ${String(message.message)}`);
        this.event({ kind: 'page-error', where: message.where, message: message.message });
        break;
      default:
        break;
    }
    this.wake();
  }

  private async onRequest(link: PageLink, message: Record<string, unknown>): Promise<unknown> {
    switch (message.req) {
      case 'send': {
        const stored = message.stored as Record<string, unknown>;
        this.recordSent(stored, message.media as string | undefined);
        return {};
      }
      case 'send-reaction': {
        const id = `true_reaction_${randomId()}`;
        this.sentList.push({
          id,
          chatId: String((message.msgId as string).split('_')[1]),
          type: 'reaction',
          t: Math.floor(Date.now() / 1000),
          ack: 1,
          reaction: { msgId: String(message.msgId), emoji: String(message.reaction) },
          raw: { ...message },
        });
        this.wake();
        return {};
      }
      case 'pairing-code': {
        const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ0123456789';
        const code = Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
        this.pairing.push({ phoneNumber: String(message.phoneNumber), code, at: Date.now() });
        this.event({ kind: 'pairing-code', phoneNumber: message.phoneNumber, code });
        return { code };
      }
      case 'refresh-qr': {
        this.qrRef = this.newQrRef();
        void this.command('qr-ref', { ref: this.qrRef }).catch(() => {});
        return {};
      }
      case 'query-exists': {
        const id = String(message.id);
        const user = id.split('@')[0] as string;
        if (id.endsWith('@lid')) return { exists: true, lid: id };
        if (this.unregistered.has(user)) return { exists: false };
        return { exists: true, pn: `${user}@c.us` };
      }
      case 'fetch-msgs': {
        const ids = (message.ids as string[]) ?? [];
        return { messages: ids.flatMap((id) => (this.records.has(id) ? [this.records.get(id)] : [])) };
      }
      case 'logout': {
        if (link.token) this.tokens.delete(link.token);
        this.event({ kind: 'logout', by: 'client' });
        return {};
      }
      case 'takeover': {
        this.linkUp = true;
        this.event({ kind: 'takeover' });
        setTimeout(() => {
          void this.command('link', { up: true }).catch(() => {});
        }, 0);
        return {};
      }
      default:
        throw new Error(`unknown request ${String(message.req)}`);
    }
  }

  private recordSent(stored: Record<string, unknown>, mediaData: string | undefined): void {
    const id = (stored.id as { _serialized: string })._serialized;
    this.records.set(id, { kind: 'outbound', stored });
    const type = String(stored.type);
    const message: SentMessage = {
      id,
      chatId: String(stored.to),
      type,
      t: Number(stored.t),
      ack: Math.max(1, Number(stored.ack ?? 0)),
      raw: stored,
    };
    if (type === 'chat') message.body = stored.body as string;
    if (typeof stored.caption === 'string') message.caption = stored.caption;
    if (type === 'poll_creation') {
      message.poll = {
        name: String(stored.pollName),
        options: (stored.pollOptions as Array<{ name: string }>).map((o) => o.name),
        allowMultipleAnswers: Number(stored.pollSelectableOptionsCount) === 0,
      };
    }
    if (stored.directPath) {
      message.media = {
        mimetype: String(stored.mimetype),
        filename: stored.filename as string | undefined,
        size: Number(stored.size),
        data: mediaData ?? '',
      };
    }
    if (type === 'location') {
      message.location = {
        latitude: Number(stored.lat),
        longitude: Number(stored.lng),
        description: stored.loc as string | undefined,
        url: stored.clientUrl as string | undefined,
      };
    }
    const quoted = stored.quotedMsg as { id?: { _serialized?: string } } | undefined;
    if (quoted?.id?._serialized) message.quotedMsgId = quoted.id._serialized;
    this.sentList.push(message);
    this.wake();
  }

  private event(event: { kind: string; [key: string]: unknown }): void {
    this.eventList.push({ ...event, at: Date.now() });
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`stand-in: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

function checkCoverage(report: CoverageReport, allowMissing: string[]): CoverageReport {
  const allowed = new Set(allowMissing);
  const missing = report.missing.filter((id) => !allowed.has(id));
  if (missing.length) {
    throw new Error(
      `whatsapp-web.js touched WhatsApp Web modules/members the stand-in lacks (built for whatsapp-web.js ${STANDIN_BUILT_FOR.wwebjs}, WhatsApp Web ${STANDIN_BUILT_FOR.webVersion}):\n  ${missing.join('\n  ')}\nTeach runtime/test/whatsapp-standin/page.js these, or list them as out of scope.`,
    );
  }
  if (!report.required.length) throw new Error('no page ever asked for a module: nothing was covered');
  return report;
}

/** Coverage over every driver in this process. */
export function standinCoverage(): CoverageReport {
  return {
    webVersion: STANDIN_BUILT_FOR.webVersion,
    builtFor: STANDIN_BUILT_FOR,
    required: [...aggregate.required].sort(),
    missing: [...aggregate.missing].sort(),
  };
}

/** Throw unless every module (and member) the library touched, through any driver in this process, exists. */
export function assertStandinCovers(options: { allowMissing?: string[] } = {}): CoverageReport {
  return checkCoverage(standinCoverage(), options.allowMissing ?? []);
}
