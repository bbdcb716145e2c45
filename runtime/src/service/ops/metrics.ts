import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

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

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
  }
}
