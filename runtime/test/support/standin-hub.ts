import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WhatsAppStandin } from '../whatsapp-standin/standin.js';

// Several WhatsApp accounts behind ONE stand-in page. A runtime pins one WhatsApp Web version and
// one cache folder for all its numbers, so all its browsers load the same page; a stand-in driver
// is one account with one page at a time. The hub serves the page (pointing at itself), reads each
// page's `hello` and hands the connection to the account that issued its session token (seen
// going by in the driver's `paired` command); a page without a known token goes to an account no
// page is connected to (unpaired ones first). After the hello the bytes are relayed untouched.

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One complete WebSocket frame at the start of `buf`: its text (unmasked) and length, or null. */
function readFrame(buf: Buffer): { opcode: number; text: string; length: number } | null {
  if (buf.length < 2) return null;
  const b0 = buf[0] as number;
  const b1 = buf[1] as number;
  let length = b1 & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (masked)
    for (let i = 0; i < payload.length; i++)
      payload[i] = (payload[i] as number) ^ (buf[maskAt + (i & 3)] as number);
  return { opcode: b0 & 0x0f, text: payload.toString('utf8'), length: offset + length };
}

export class StandinHub {
  readonly cacheDir: string;
  readonly webVersion: string;
  /** Which account each hello went to, in order (`token`: whether the page had a session). */
  readonly routed: { account: number; token: boolean; at: number }[] = [];
  private port = 0;
  private bridgeHtml = '';
  private readonly tokens = new Map<string, number>();
  private readonly connections: Set<Socket>[];
  private readonly sockets = new Set<Duplex>();

  private constructor(
    readonly standins: WhatsAppStandin[],
    private readonly server: Server,
  ) {
    this.cacheDir = mkdtempSync(join(tmpdir(), 'wa-standin-hub-'));
    this.webVersion = (standins[0] as WhatsAppStandin).webVersion;
    this.connections = standins.map(() => new Set());
  }

  static async start(accounts: number): Promise<StandinHub> {
    const standins = await Promise.all(
      Array.from({ length: accounts }, (_, i) =>
        WhatsAppStandin.start({ me: `1555000${String(1000 + i)}`, meLid: `21000000000${String(1000 + i)}` }),
      ),
    );
    const server = createServer();
    const hub = new StandinHub(standins, server);
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/bridge')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(hub.bridgeHtml);
      } else res.writeHead(404).end();
    });
    server.on('upgrade', (req, socket: Duplex, head: Buffer) => hub.onUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    hub.port = typeof address === 'object' && address !== null ? address.port : 0;
    const first = standins[0] as WhatsAppStandin;
    const firstPort = hub.portOf(0);
    hub.bridgeHtml = await (await fetch(`http://127.0.0.1:${firstPort}/bridge`)).text();
    const html = first.html().replaceAll(`127.0.0.1:${firstPort}`, `127.0.0.1:${hub.port}`);
    writeFileSync(join(hub.cacheDir, `${hub.webVersion}.html`), html);
    return hub;
  }

  /** The driver port of account `i` (read off its page's configuration). */
  private portOf(i: number): number {
    const match = /"wsUrl":"ws:\/\/127\.0\.0\.1:(\d+)\/ws"/.exec(
      (this.standins[i] as WhatsAppStandin).html(),
    );
    if (match === null) throw new Error('stand-in page without a driver URL');
    return Number(match[1]);
  }

  /** How many pages are connected to account `i` right now. */
  pagesOn(i: number): number {
    return (this.connections[i] as Set<Socket>).size;
  }

  private pick(token: unknown): number {
    if (typeof token === 'string' && this.tokens.has(token)) return this.tokens.get(token) as number;
    const free = this.standins.map((_, i) => i).filter((i) => this.pagesOn(i) === 0);
    return free.find((i) => !(this.standins[i] as WhatsAppStandin).hasSession) ?? free[0] ?? 0;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith('/ws') || typeof key !== 'string') {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    let pending = head;
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const frame = readFrame(pending);
      if (frame === null) return;
      socket.off('data', onData);
      socket.pause();
      let token: unknown = null;
      try {
        const hello = JSON.parse(frame.text) as { t?: string; session?: unknown };
        if (hello.t === 'hello') token = hello.session;
      } catch {
        // not JSON: routed as a page without a session
      }
      this.relay(socket, this.pick(token), token !== null && token !== undefined, pending);
    };
    socket.on('data', onData);
    if (head.length > 0) onData(Buffer.alloc(0));
  }

  /** Connects the page to account `account`'s driver and relays both ways from now on. */
  private relay(page: Duplex, account: number, hadToken: boolean, buffered: Buffer): void {
    this.routed.push({ account, token: hadToken, at: Date.now() });
    const upstream = connect(this.portOf(account), '127.0.0.1');
    const set = this.connections[account] as Set<Socket>;
    set.add(upstream);
    this.sockets.add(upstream);
    const close = () => {
      set.delete(upstream);
      this.sockets.delete(upstream);
      upstream.destroy();
      page.destroy();
    };
    upstream.on('error', close);
    upstream.on('close', close);
    page.on('close', close);
    page.on('error', close);
    upstream.write(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    let header = Buffer.alloc(0);
    let snoop = Buffer.alloc(0);
    const fromDriver = (chunk: Buffer) => {
      page.write(chunk);
      // Learn which account each session token belongs to (the driver's `paired` command).
      snoop = Buffer.concat([snoop, chunk]);
      for (let frame = readFrame(snoop); frame !== null; frame = readFrame(snoop)) {
        snoop = snoop.subarray(frame.length);
        if (frame.opcode !== 0x1 || !frame.text.includes('"paired"')) continue;
        try {
          const command = JSON.parse(frame.text) as { cmd?: string; token?: unknown };
          if (command.cmd === 'paired' && typeof command.token === 'string')
            this.tokens.set(command.token, account);
        } catch {
          // not a command
        }
      }
    };
    const onHeader = (chunk: Buffer) => {
      header = Buffer.concat([header, chunk]);
      const end = header.indexOf('\r\n\r\n');
      if (end === -1) return;
      upstream.off('data', onHeader);
      upstream.on('data', fromDriver);
      const rest = header.subarray(end + 4);
      if (rest.length > 0) fromDriver(rest);
      upstream.write(buffered);
      page.on('data', (data: Buffer) => upstream.write(data));
      page.resume();
    };
    upstream.on('data', onHeader);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.all(this.standins.map((standin) => standin.close()));
    rmSync(this.cacheDir, { recursive: true, force: true });
  }
}
