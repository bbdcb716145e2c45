import type { Db } from '@parley/db';
import type { RuntimeConfig } from '../config.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import type { OutboundDispatcher } from '../outbound/outbound-dispatcher.js';
import type { ConversationRepository } from '../repositories/conversation-repository.js';
import type { EffectRepository } from '../repositories/effect-repository.js';
import type { InboxRepository } from '../repositories/inbox-repository.js';
import type { OutboxRepository } from '../repositories/outbox-repository.js';
import type { TimerRepository } from '../repositories/timer-repository.js';
import type { ConversationProcessor } from './conversation-processor.js';
import type { EffectRunner } from './effect-runner.js';

export interface MaintenanceDeps {
  db: Db;
  config: RuntimeConfig;
  processor: ConversationProcessor;
  dispatcher: OutboundDispatcher;
  effects: EffectRunner;
  inbox: InboxRepository;
  outbox: OutboxRepository;
  timers: TimerRepository;
  effectRepository: EffectRepository;
  conversations: ConversationRepository;
  metrics: RuntimeMetrics;
  logger: Logger;
}

/** Work that is picked up by polling: due timers, and what a crashed process left behind. */
export class Maintenance {
  private timerLoop: NodeJS.Timeout | null = null;
  private sweepLoop: NodeJS.Timeout | null = null;
  private busy = { timers: false, sweep: false };

  constructor(private readonly deps: MaintenanceDeps) {}

  start(): void {
    this.timerLoop = setInterval(
      () => void this.guard('timers', () => this.fireTimers()),
      this.deps.config.timerPollMs,
    );
    this.sweepLoop = setInterval(
      () => void this.guard('sweep', () => this.sweep()),
      this.deps.config.maintenanceMs,
    );
    void this.guard('sweep', () => this.sweep());
  }

  stop(): void {
    if (this.timerLoop !== null) clearInterval(this.timerLoop);
    if (this.sweepLoop !== null) clearInterval(this.sweepLoop);
  }

  private async guard(name: 'timers' | 'sweep', work: () => Promise<void>): Promise<void> {
    if (this.busy[name]) return;
    this.busy[name] = true;
    try {
      await work();
    } catch (error) {
      this.deps.metrics.errors.inc({ kind: `maintenance_${name}` });
      this.deps.logger.warn({ err: error }, `${name} pass failed`);
    } finally {
      this.busy[name] = false;
    }
  }

  /** Wakes conversations whose reminder, expiry or delay is due. */
  async fireTimers(): Promise<void> {
    const due = await this.deps.timers.claimDue(this.deps.db, 500, 60_000);
    for (const key of due) this.deps.processor.schedule(key, [{ type: 'timer' }]);
  }

  /** Picks up what a crash left: unprocessed inbound, interrupted sends, unanswered http and model calls. */
  async sweep(): Promise<void> {
    const { db } = this.deps;
    for (const key of await this.deps.inbox.stranded(db, 2_000, 500)) this.deps.processor.schedule(key);
    await this.deps.outbox.requeueStale(db, this.deps.config.staleSendMs);
    for (const numberId of await this.deps.outbox.numbersWithWork(db)) this.deps.dispatcher.notify(numberId);
    for (const pending of await this.deps.effectRepository.stale(db, this.deps.config.staleEffectMs, 100)) {
      if (this.deps.effects.isRunning(pending.effect.requestId)) continue;
      this.deps.effects.run(
        { numberId: pending.numberId, contact: pending.contact },
        pending.workspaceId,
        pending.effect,
        this.deps.config.staleEffectMs,
      );
    }
    this.deps.metrics.activeConversations.set(await this.deps.conversations.activeCount(db));
    const depths = this.deps.processor.queueDepths();
    for (const [queue, depth] of Object.entries(depths)) this.deps.metrics.queueDepth.set({ queue }, depth);
    this.deps.metrics.queueDepth.set({ queue: 'outbox' }, await this.deps.outbox.queuedCount(db));
  }
}
