import type { Db } from '@parley/db';
import type { InboundMedia } from '@parley/engine';
import type { Logger } from '../../ops/logger.js';
import type { RuntimeMetrics } from '../../ops/metrics.js';
import type { ChannelHost, InboundMessage } from '../channel.js';
import { InboundSequencer } from './inbound-sequencer.js';
import type { LidResolver } from './lid-resolver.js';
import type { MediaStorage } from './media-storage.js';
import { PollVotes } from './poll-votes.js';
import type { SentPoll, SentRepository } from './sent-repository.js';
import {
  classifyInbound,
  isStale,
  mediaFileName,
  senderOf,
  toInboundMessage,
  voteMessageId,
} from './translate-inbound.js';
import type { WaClient, WaIncoming, WaVote } from './wa-client.js';

type Item =
  | { kind: 'message'; numberId: string; client: WaClient; message: WaIncoming; timestamp: number }
  | { kind: 'vote'; numberId: string; vote: WaVote; poll: SentPoll; choiceIds: string[]; timestamp: number };

export interface InboundPipelineDeps {
  db: Db;
  host: ChannelHost;
  /** Runs a browser action in the number's queue (downloads, @lid lookups). */
  run: <T>(numberId: string, work: () => Promise<T>) => Promise<T>;
  lids: LidResolver;
  media: MediaStorage;
  sent: SentRepository;
  maxMediaBytes: number;
  maxMessageAgeMs: number;
  debounceMs: number;
  pollSettleMs: number;
  metrics: RuntimeMetrics;
  logger: Logger;
  now?: () => number;
}

/**
 * WhatsApp events in, runtime InboundMessages out: each contact's messages in the order they were
 * sent (InboundSequencer), `@lid` senders mapped to phones, media downloaded (size-capped) and
 * stored, poll votes turned into choice ids, messages that waited out a disconnection for too
 * long flagged stale (recorded, not answered).
 */
export class InboundPipeline {
  private readonly sequencer: InboundSequencer<Item>;
  private readonly polls = new Map<string, PollVotes>();
  private readonly knownPolls = new Map<string, SentPoll>();
  private readonly now: () => number;

  constructor(private readonly deps: InboundPipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.sequencer = new InboundSequencer((_key, items) => this.handleBatch(items), deps.debounceMs);
  }

  onMessage(numberId: string, client: WaClient, message: WaIncoming): void {
    this.sequencer.push(`${numberId} ${message.chatId}`, {
      kind: 'message',
      numberId,
      client,
      message,
      timestamp: message.timestamp,
    });
  }

  onVote(numberId: string, vote: WaVote): void {
    this.pollsOf(numberId)
      .onVote(vote)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error, numberId }, 'could not handle a poll vote'),
      );
  }

  /** A poll just sent (its votes then need no database read). */
  rememberPoll(numberId: string, pollMessageId: string, poll: SentPoll): void {
    this.knownPolls.set(`${numberId} ${pollMessageId}`, poll);
    if (this.knownPolls.size > 5_000) this.knownPolls.delete(this.knownPolls.keys().next().value as string);
  }

  private pollsOf(numberId: string): PollVotes {
    let polls = this.polls.get(numberId);
    if (polls === undefined) {
      polls = new PollVotes({
        settleMs: this.deps.pollSettleMs,
        lookup: async (pollMessageId) => {
          // Whether it is still the contact's latest question is always asked of Postgres.
          const known = this.knownPolls.get(`${numberId} ${pollMessageId}`);
          const stored = await this.deps.sent.pollOf(this.deps.db, numberId, pollMessageId);
          return stored ?? (known === undefined ? null : { ...known, latest: true });
        },
        deliver: (vote, poll, choiceIds) =>
          this.sequencer.push(`${numberId} ${vote.voter}`, {
            kind: 'vote',
            numberId,
            vote,
            poll,
            choiceIds,
            timestamp: vote.at / 1000,
          }),
      });
      this.polls.set(numberId, polls);
    }
    return polls;
  }

  private async handleBatch(items: Item[]): Promise<void> {
    for (const item of items) {
      try {
        const message = item.kind === 'vote' ? this.voteMessage(item) : await this.translate(item);
        if (message !== null) await this.deps.host.receive(message);
      } catch (error) {
        this.deps.metrics.errors.inc({ kind: 'whatsapp_inbound' });
        this.deps.logger.error(
          { err: error, numberId: item.numberId },
          'could not record an inbound WhatsApp message',
        );
      }
    }
  }

  private voteMessage(item: Extract<Item, { kind: 'vote' }>): InboundMessage {
    const sentAt = item.vote.at;
    return {
      numberId: item.numberId,
      // The contact the poll went to (no @lid lookup needed).
      contact: item.poll.contact,
      id: voteMessageId(item.vote),
      choiceIds: item.choiceIds,
      sentAt,
      ...(isStale(sentAt, this.now(), this.deps.maxMessageAgeMs) ? { stale: true } : {}),
    };
  }

  private async translate(item: Extract<Item, { kind: 'message' }>): Promise<InboundMessage | null> {
    const { numberId, client, message } = item;
    const content = classifyInbound(message, this.deps.maxMediaBytes);
    if (content.kind === 'ignore') {
      this.deps.logger.debug({ numberId, reason: content.reason }, 'WhatsApp message ignored');
      return null;
    }
    const sender = senderOf(message.chatId);
    if (sender.kind === 'other') return null;
    const contact =
      sender.kind === 'phone'
        ? sender.contact
        : await this.deps.lids.contactOf(sender.lid, (lid) =>
            this.deps.run(numberId, () => client.phoneOfLid(lid)),
          );
    const media =
      content.kind === 'media' && !content.tooLarge
        ? await this.download(numberId, contact, client, message)
        : undefined;
    return toInboundMessage(message, content, {
      numberId,
      contact,
      nowMs: this.now(),
      maxAgeMs: this.deps.maxMessageAgeMs,
      ...(media === undefined ? {} : { media }),
    });
  }

  private async download(
    numberId: string,
    contact: string,
    client: WaClient,
    message: WaIncoming,
  ): Promise<InboundMedia | undefined> {
    try {
      const file = await this.deps.run(numberId, () => client.downloadMedia(message.id));
      if (file === null || file.data.length > this.deps.maxMediaBytes) return undefined;
      const name = file.fileName ?? message.fileName;
      const url = await this.deps.media.put(
        numberId,
        contact,
        mediaFileName(message.id, file.mimeType, name),
        file.data,
        file.mimeType,
      );
      return {
        url,
        mimeType: file.mimeType,
        size: file.data.length,
        ...(name === undefined ? {} : { name }),
      };
    } catch (error) {
      this.deps.logger.warn({ err: error, numberId }, 'could not download inbound media');
      return undefined;
    }
  }

  /** Hands over everything collected and waits for it (before the clients close). */
  async flush(): Promise<void> {
    for (const polls of this.polls.values()) polls.cancel();
    await this.sequencer.flush();
  }
}
