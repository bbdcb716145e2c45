import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { HandoffFigures } from '../repositories/handoff-metrics-repository.js';

/** Upper bounds of the time to a first agent reply, in seconds: a minute to a day. */
export const FIRST_REPLY_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400] as const;

type Figures = HandoffFigures['firstReply'];

/**
 * A histogram whose buckets are counted in the database at each scrape, not observed in this
 * process: a first reply happens in whichever process the agent's message reached.
 */
class StoredHistogram extends Histogram {
  constructor(
    private readonly config: { name: string; help: string; registers: Registry[] },
    private readonly read: () => Promise<Figures | null>,
  ) {
    super({ ...config, buckets: [...FIRST_REPLY_BUCKETS] });
  }

  /** What the registry writes out (prom-client reads this in place of the observed values). */
  async getForPromString() {
    const { name, help } = this.config;
    const figures = await this.read();
    const bucket = `${name}_bucket`;
    const values =
      figures === null
        ? []
        : [
            ...FIRST_REPLY_BUCKETS.map((le, index) => ({
              labels: { le },
              value: figures.buckets[index] ?? 0,
              metricName: bucket,
            })),
            { labels: { le: '+Inf' }, value: figures.count, metricName: bucket },
            { labels: {}, value: figures.sum, metricName: `${name}_sum` },
            { labels: {}, value: figures.count, metricName: `${name}_count` },
          ];
    return { name, help, type: 'histogram' as const, values, aggregator: 'sum' as const };
  }
}

/** The runtime's Prometheus metrics, in their own registry (tests create several runtimes). */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly inbound = new Counter({
    name: 'parley_inbound_messages_total',
    help: 'Inbound messages by result (accepted, duplicate, rejected)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly outbound = new Counter({
    name: 'parley_outbound_messages_total',
    help: 'Outbound messages by final status of a send attempt (sent, retried, failed)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly stepLatency = new Histogram({
    name: 'parley_step_latency_seconds',
    help: 'From an inbound message arriving to its replies being queued (checkpoint committed)',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly checkpointBatch = new Histogram({
    name: 'parley_checkpoint_batch_size',
    help: 'Contacts written per checkpoint transaction',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250],
    registers: [this.registry],
  });
  readonly activeConversations = new Gauge({
    name: 'parley_active_conversations',
    help: 'Conversations currently active (waiting for a contact or running)',
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'parley_queue_depth',
    help: 'Work waiting, by queue (ingest, checkpoint, outbox)',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'parley_errors_total',
    help: 'Errors by kind',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  readonly aiCalls = new Counter({
    name: 'parley_ai_calls_total',
    help: 'Model calls of AI blocks by provider, model and outcome (ok, or the error code)',
    labelNames: ['provider', 'model', 'outcome'],
    registers: [this.registry],
  });
  readonly aiTokens = new Counter({
    name: 'parley_ai_tokens_total',
    help: 'Tokens of AI blocks by provider, model and direction (input, output)',
    labelNames: ['provider', 'model', 'direction'],
    registers: [this.registry],
  });
  readonly aiCallSeconds = new Histogram({
    name: 'parley_ai_call_seconds',
    help: 'How long a model call took, its provider retries included',
    labelNames: ['provider', 'model'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60],
    registers: [this.registry],
  });

  /** Reads the hand-off figures; null until the runtime has a database to read them from. */
  private handoffSource: ((upperBounds: readonly number[]) => Promise<HandoffFigures>) | null = null;
  /** One read serves the three hand-off metrics of a scrape. */
  private handoffRead: Promise<HandoffFigures | null> | null = null;

  readonly openHandoffs = new Gauge({
    name: 'parley_handoffs_open',
    help: 'Conversations with a person (handed off, not closed), by workspace; read from the database, the same on every runtime',
    labelNames: ['workspace'],
    registers: [this.registry],
    collect: async () => {
      const figures = await this.handoffs();
      this.openHandoffs.reset();
      for (const { workspaceId, count } of figures?.open ?? [])
        this.openHandoffs.set({ workspace: workspaceId }, count);
    },
  });
  readonly handoffsHeld = new Gauge({
    name: 'parley_handoffs_held',
    help: 'Open hand-offs each person holds, by workspace and agent (user id); read from the database',
    labelNames: ['workspace', 'agent'],
    registers: [this.registry],
    collect: async () => {
      const figures = await this.handoffs();
      this.handoffsHeld.reset();
      for (const { workspaceId, userId, count } of figures?.held ?? [])
        this.handoffsHeld.set({ workspace: workspaceId, agent: userId }, count);
    },
  });
  readonly firstAgentReply = new StoredHistogram(
    {
      name: 'parley_handoff_first_reply_seconds',
      help: 'From a hand-off to the first reply of a person, over the hand-offs in the database',
      registers: [this.registry],
    },
    async () => (await this.handoffs())?.firstReply ?? null,
  );

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }

  /** Reports the hand-off measures from `read` at each scrape. */
  watchHandoffs(read: (upperBounds: readonly number[]) => Promise<HandoffFigures>): void {
    this.handoffSource = read;
  }

  private handoffs(): Promise<HandoffFigures | null> {
    const source = this.handoffSource;
    if (source === null) return Promise.resolve(null);
    if (this.handoffRead === null) {
      this.handoffRead = source(FIRST_REPLY_BUCKETS)
        .catch(() => {
          // The scrape goes on without them; the error count says why they are missing.
          this.errors.inc({ kind: 'handoff_metrics' });
          return null;
        })
        .finally(() => {
          this.handoffRead = null;
        });
    }
    return this.handoffRead;
  }
}
