import type {
  WaClient,
  WaClientEvents,
  WaClientOptions,
  WaMedia,
  WaOwnMessage,
} from '../../src/service/channels/whatsapp/wa-client.js';

/** A WaClient without a browser: tests emit its events and read what it sent. */
export class FakeWaClient implements WaClient {
  readonly sent: { chatId: string; kind: 'text' | 'poll' | 'media'; payload: unknown }[] = [];
  readonly typing: string[] = [];
  destroyed = false;
  loggedOut = false;
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>();
  private seq = 0;

  constructor(readonly options: WaClientOptions) {}

  emit<E extends keyof WaClientEvents>(event: E, ...args: Parameters<WaClientEvents[E]>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }

  async initialize(): Promise<void> {}

  on<E extends keyof WaClientEvents>(event: E, listener: WaClientEvents[E]): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (...args: never[]) => void]);
  }

  private record(chatId: string, kind: 'text' | 'poll' | 'media', payload: unknown): string {
    this.sent.push({ chatId, kind, payload });
    this.seq += 1;
    return `true_${chatId}_OUT${this.seq}`;
  }

  async sendText(chatId: string, text: string): Promise<string> {
    return this.record(chatId, 'text', text);
  }

  async sendPoll(
    chatId: string,
    poll: { name: string; options: string[]; allowMultiple: boolean },
  ): Promise<string> {
    return this.record(chatId, 'poll', poll);
  }

  async sendMedia(chatId: string, media: WaMedia, options: { caption?: string }): Promise<string> {
    return this.record(chatId, 'media', { mimeType: media.mimeType, caption: options.caption });
  }

  async sendTyping(chatId: string): Promise<void> {
    this.typing.push(chatId);
  }

  async requestPairingCode(): Promise<string> {
    this.emit('code', 'ABCD1234');
    return 'ABCD1234';
  }

  async downloadMedia(): Promise<WaMedia | null> {
    return { mimeType: 'image/jpeg', data: Buffer.from('jpeg bytes'), fileName: 'photo.jpg' };
  }

  async phoneOfLid(): Promise<string | null> {
    return '4915199999999@c.us';
  }

  async recentOwnMessages(): Promise<WaOwnMessage[]> {
    return [];
  }

  async logout(): Promise<void> {
    this.loggedOut = true;
    this.destroyed = true;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  browserPid(): number | null {
    return null;
  }
}
