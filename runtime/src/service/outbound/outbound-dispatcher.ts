import { Batcher, type Db } from '@parley/db';
import { type Channel, ChannelSendError, type OutboundEnvelope } from '../channels/channel.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';

import type { ClaimedMessage, OutboxRepository } from '../repositories/outbox-repository.js';
import { RateLimiter } from './rate-limiter.js';

export interface SendPolicy {
  /** Average sends per second per number (0: unlimited). */
  perSecond: number;
  burst: number;
  /** "typing…" shown before a send, per character of text, capped. */
  typingMsPerChar: number;
  typingMaxMs: number;
  maxAttempts: number;
}

export interface OutboundDispatcherDeps {
  db: Db;
  outbox: OutboxRepository;
  /** The channel that sends for a number in this process, or null when this process does not. */
  channelFor: (numberId: string) => Promise<Channel | null>;
  /** The number's send policy (its own pace when an admin set one). */
  policyFor: (channel: Channel, numberId: string) => Promise<SendPolicy>;
  metrics: RuntimeMetrics;
  logger: Logger;
  now?: () => number;
  /** A message was recorded as sent, or as failed for good (the inbox follows agent messages). */
  onOutcome?: (outcome: SendOutcome) => void;
}

export interface SendOutcome {
  channel: Channel;
  message: ClaimedMessage;
}

/** Backoff before attempt n+1: 1 s, 2 s, 4 s … capped at 5 minutes, with jitter. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** (attempts - 1)) * (0.75 + Math.random() / 2);
}

/**
 * Sends queued replies: per number, the oldest message of each contact (so contacts stay in
 * order), paced by the number's rate limit, with retries and backoff. A message claimed before a
 * crash is first looked up with the channel, so it is never sent twice.
 */
export class OutboundDispatcher {
  private readonly pumps = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly limiters = new Map<string, RateLimiter>();
  /** Claims of all numbers pumping at once go to Postgres together. */
  private readonly claims: Batcher<{ numberId: string; limit: number }, ClaimedMessage[]>;
  private readonly markSent: Batcher<
    { messageId: number; channelMessageId: string; delivered: boolean },
    undefined
  >;
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly deps: OutboundDispatcherDeps) {
    this.now = deps.now ?? Date.now;
    this.claims = new Batcher(async (wanted) => {
      const byNumber = new Map<string, ClaimedMessage[]>();
      for (const message of await deps.outbox.claim(deps.db, wanted)) {
        const list = byNumber.get(message.envelope.numberId);
        if (list === undefined) byNumber.set(message.envelope.numberId, [message]);
        else list.push(message);
      }
      return wanted.map(({ numberId }) => byNumber.get(numberId) ?? []);
    });
    this.markSent = new Batcher(async (rows) => {
      await deps.outbox.markSent(deps.db, rows);
      return rows.map(() => undefined);
    }, 500);
  }

  /** Something was queued for a number: send it (coalesces with a pump already running). */
  notify(numberId: string): void {
    if (this.stopped) return;
    if (this.pumps.has(numberId)) {
      this.again.add(numberId);
      return;
    }
    const pump = this.pump(numberId)
      .catch((error: unknown) => {
        this.deps.metrics.errors.inc({ kind: 'outbound' });
        this.deps.logger.error({ err: error, numberId }, 'outbound pump failed');
      })
      .finally(() => {
        this.pumps.delete(numberId);
        if (this.again.delete(numberId)) this.notify(numberId);
      });
    this.pumps.set(numberId, pump);
  }

  /** Stops taking new work and waits for sends in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.pumps.size > 0) await Promise.allSettled([...this.pumps.values()]);
  }

  private async pump(numberId: string): Promise<void> {
    const channel = await this.deps.channelFor(numberId);
    if (channel === null) return;
    const policy = await this.deps.policyFor(channel, numberId);
    // A paced number sends a few per second: claim a little at a time, so nothing waits long as
    // `sending`. An unpaced one (the simulator) claims large batches, and claims the next while
    // the previous one is being delivered, so sending keeps up with the steps. A claim skips the
    // contacts that have a send in flight, so each contact still gets its messages one at a time.
    const paced = policy.perSecond > 0;
    const claimLimit = paced ? 50 : 500;
    const maxRounds = paced ? 1 : 2;
    const rounds = new Set<Promise<void>>();
    try {
      for (;;) {
        if (this.stopped) return;
        const claimed = await this.claims.submit({ numberId, limit: claimLimit });
        if (claimed.length === 0) {
          if (rounds.size === 0) return;
          // What is left may be the next messages of contacts being sent to: claim again after.
          await Promise.race(rounds);
          continue;
        }
        const round: Promise<void> = Promise.all(
          claimed.map((message) => this.deliver(channel, policy, message)),
        ).then(
          () => void rounds.delete(round),
          () => void rounds.delete(round),
        );
        rounds.add(round);
        if (rounds.size >= maxRounds) await Promise.race(rounds);
      }
    } finally {
      await Promise.all(rounds);
    }
  }

  private limiter(numberId: string, policy: SendPolicy): RateLimiter {
    let limiter = this.limiters.get(numberId);
    // A changed pace (the number's settings) takes effect with a fresh bucket.
    if (limiter === undefined || !limiter.follows(policy.perSecond, policy.burst)) {
      limiter = new RateLimiter(policy.perSecond, policy.burst, this.now);
      this.limiters.set(numberId, limiter);
    }
    return limiter;
  }

  private async deliver(channel: Channel, policy: SendPolicy, claimed: ClaimedMessage): Promise<void> {
    const { envelope } = claimed;
    try {
      // A second claim means an earlier attempt may have gone out before a crash: ask first.
      const earlier = claimed.attempts > 1 ? await channel.findSent(envelope) : null;
      const sent = earlier ?? (await this.send(channel, policy, envelope));
      await this.markSent.submit({
        messageId: envelope.messageId,
        channelMessageId: sent.channelMessageId,
        delivered: channel.deliveredOnSend?.(envelope) === true,
      });
      this.deps.metrics.outbound.inc({ status: 'sent' });
      this.deps.onOutcome?.({ channel, message: claimed });
    } catch (error) {
      const retryable = !(error instanceof ChannelSendError) || error.retryable;
      const retry = retryable && claimed.attempts < policy.maxAttempts;
      const retryAt = retry ? this.now() + retryDelayMs(claimed.attempts) : null;
      this.deps.metrics.outbound.inc({ status: retry ? 'retried' : 'failed' });
      this.deps.logger.warn(
        {
          err: error,
          numberId: envelope.numberId,
          conversationId: claimed.conversationId,
          messageId: envelope.messageId,
          attempts: claimed.attempts,
        },
        retry ? 'send failed; will retry' : 'send failed for good',
      );
      const recorded = await this.deps.outbox
        .markFailedAttempt(this.deps.db, envelope.messageId, (error as Error).message, retryAt)
        .then(
          () => true,
          (cause: unknown) => {
            this.deps.logger.error({ err: cause }, 'could not record a failed send');
            return false;
          },
        );
      if (recorded && !retry) this.deps.onOutcome?.({ channel, message: claimed });
    }
  }

  private async send(channel: Channel, policy: SendPolicy, envelope: OutboundEnvelope) {
    await this.limiter(envelope.numberId, policy).take();
    const typingMs = Math.min(policy.typingMaxMs, envelope.message.text.length * policy.typingMsPerChar);
    if (typingMs > 0 && channel.typing !== undefined)
      await channel.typing(envelope.numberId, envelope.contact, typingMs);
    return channel.send(envelope);
  }
}
