import type { Db } from '@parley/db';
import { type Channel, ChannelSendError, type OutboundEnvelope } from '../channel.js';
import { NotOwnerError } from './number-ownership.js';
import type { SentPoll, SentRepository } from './sent-repository.js';
import { chatIdOf, planOutbound, visibleTextOf, type WaOutboundPart } from './translate-outbound.js';
import type { WaClient, WaMedia } from './wa-client.js';

/** What the channel needs from the connection manager. */
export interface SendingPort {
  /** Connected and owned here. */
  canSend(numberId: string): boolean;
  /** The number's client while it is connected. */
  clientOf(numberId: string): WaClient | null;
  /** Runs a browser action in the number's queue, only while it is owned. */
  run<T>(numberId: string, work: () => Promise<T>): Promise<T>;
  /** The fencing check: still the number's current owner. */
  isCurrentOwner(numberId: string): Promise<boolean>;
  /** A poll just sent, so its votes are recognised without a database read. */
  rememberPoll(numberId: string, pollMessageId: string, poll: SentPoll): void;
}

export interface WhatsAppChannelDeps {
  db: Db;
  port: SendingPort;
  sent: SentRepository;
  /** A flow's media link (http/https), or a file in the media store for the number's workspace. */
  fetchMedia: (url: string, numberId: string) => Promise<WaMedia>;
}

/**
 * The WhatsApp channel: engine messages out through the number's whatsapp-web.js client. Each
 * part sent is recorded at once (`whatsapp_sent`), so a retry after a crash sends only what is
 * missing; before each send the fencing token is checked, so an owner that lost the number
 * sends nothing.
 */
export class WhatsAppChannel implements Channel {
  readonly kind = 'whatsapp' as const;

  constructor(private readonly deps: WhatsAppChannelDeps) {}

  handles(numberId: string): boolean {
    return this.deps.port.canSend(numberId);
  }

  private connectedClient(numberId: string): WaClient {
    const client = this.deps.port.clientOf(numberId);
    if (client === null)
      throw new ChannelSendError('The WhatsApp session of this number is not connected here', true);
    return client;
  }

  private async run<T>(numberId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.deps.port.run(numberId, work);
    } catch (error) {
      if (error instanceof NotOwnerError) throw new ChannelSendError(error.message, true);
      throw error;
    }
  }

  private async plan(envelope: OutboundEnvelope): Promise<WaOutboundPart[]> {
    const { choices, render } = envelope.message;
    const multiple =
      render === 'poll' && choices !== undefined && choices.length > 0
        ? await this.deps.sent.isMultiChoice(this.deps.db, envelope.messageId, choices)
        : false;
    return planOutbound(envelope.message, { multiple });
  }

  async send(envelope: OutboundEnvelope): Promise<{ channelMessageId: string }> {
    const { numberId } = envelope;
    const parts = await this.plan(envelope);
    if (parts.length === 0) throw new ChannelSendError('The message has nothing to send', false);
    const chatId = chatIdOf(envelope.contact);
    const done = await this.deps.sent.parts(this.deps.db, numberId, envelope.idempotencyKey);
    let last: string | undefined;
    for (const [index, part] of parts.entries()) {
      const earlier = done.get(index);
      if (earlier !== undefined) {
        last = earlier;
        continue;
      }
      const media = part.kind === 'media' ? await this.deps.fetchMedia(part.url, numberId) : null;
      const id = await this.run(numberId, async () => {
        if (!(await this.deps.port.isCurrentOwner(numberId)))
          throw new ChannelSendError('This runtime is no longer the owner of the number', true);
        const client = this.connectedClient(numberId);
        if (part.kind === 'text') return client.sendText(chatId, part.text);
        if (part.kind === 'poll')
          return client.sendPoll(chatId, {
            name: part.name,
            options: part.options,
            allowMultiple: part.allowMultiple,
          });
        if (media === null) throw new ChannelSendError('The media was not downloaded', true);
        return client.sendMedia(chatId, media, {
          ...(part.caption === undefined ? {} : { caption: part.caption }),
          asDocument: part.mediaKind === 'document',
        });
      });
      await this.deps.sent.record(
        this.deps.db,
        numberId,
        envelope.idempotencyKey,
        index,
        id,
        part.kind === 'poll' ? part.allowMultiple : null,
      );
      if (part.kind === 'poll' && envelope.message.choices !== undefined) {
        this.deps.port.rememberPoll(numberId, id, {
          contact: envelope.contact,
          choices: envelope.message.choices,
          multiple: part.allowMultiple,
          latest: true,
        });
      }
      last = id;
    }
    return { channelMessageId: last as string };
  }

  async typing(numberId: string, contact: string, ms: number): Promise<void> {
    const chatId = chatIdOf(contact);
    // "typing…" is a courtesy: a failure must not fail the send.
    await this.run(numberId, () => this.connectedClient(numberId).sendTyping(chatId)).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /**
   * After a crash between a send and its recording: every part recorded → the last one's id; some
   * → null (the retry sends the rest); none → the chat's latest own messages are searched for the
   * first part's text sent after the message was queued.
   */
  async findSent(envelope: OutboundEnvelope): Promise<{ channelMessageId: string } | null> {
    const { numberId } = envelope;
    const parts = planOutbound(envelope.message, { multiple: false });
    const done = await this.deps.sent.parts(this.deps.db, numberId, envelope.idempotencyKey);
    if (parts.length > 0 && done.size >= parts.length) {
      const last = done.get(parts.length - 1);
      if (last !== undefined) return { channelMessageId: last };
    }
    if (done.size > 0 || parts.length !== 1) return null;
    const [part] = parts as [WaOutboundPart];
    const text = visibleTextOf(part);
    const queuedAt = await this.deps.sent.queuedAt(this.deps.db, envelope.messageId);
    if (text === '' || queuedAt === null) return null;
    const chatId = chatIdOf(envelope.contact);
    const recent = await this.run(numberId, () =>
      this.connectedClient(numberId).recentOwnMessages(chatId, 10),
    );
    // Two-second slack: WhatsApp stamps in whole seconds.
    const match = recent.find(
      (message) => message.timestamp * 1000 >= queuedAt - 2_000 && message.body === text,
    );
    if (match === undefined) return null;
    await this.deps.sent.record(
      this.deps.db,
      numberId,
      envelope.idempotencyKey,
      0,
      match.id,
      part.kind === 'poll' ? false : null,
    );
    return { channelMessageId: match.id };
  }
}
