import { randomUUID } from 'node:crypto';
import { type Bus, busChannels, publish, type SimulatorDelivery } from '@parley/bus';
import type { Channel, OutboundEnvelope } from '../channel.js';
import type { SentLog } from './sent-log.js';

/** The test channel: "sending" publishes the message to simulator clients (the admin UI, tests). */
export class SimulatorChannel implements Channel {
  readonly kind = 'simulator' as const;

  constructor(
    private readonly bus: Bus,
    private readonly sentLog: SentLog,
  ) {}

  /**
   * Publishes, then records the delivery, as WhatsApp records a message only once it went out: a
   * crash in between leaves a reply that is sent again (at least once), never one marked sent that
   * nobody received.
   */
  async send(envelope: OutboundEnvelope): Promise<{ channelMessageId: string }> {
    const earlier = await this.sentLog.find(envelope.numberId, envelope.idempotencyKey);
    if (earlier !== null) return { channelMessageId: earlier };
    const channelMessageId = `sim-out-${randomUUID()}`;
    const delivery: SimulatorDelivery = {
      type: 'message',
      numberId: envelope.numberId,
      contact: envelope.contact,
      channelMessageId,
      message: envelope.message,
      at: Date.now(),
    };
    await publish(this.bus, busChannels.simulator(envelope.numberId), delivery);
    // Two sends of one key racing (a requeue after a stall) both publish; the log keeps the first.
    const first = await this.sentLog.record(envelope.numberId, envelope.idempotencyKey, channelMessageId);
    return { channelMessageId: first ?? channelMessageId };
  }

  /** A person's message shows its ticks in the inbox; the bot's replies keep `sent` as they always had. */
  deliveredOnSend(envelope: OutboundEnvelope): boolean {
    return envelope.message.kind === 'agent';
  }

  async findSent(envelope: OutboundEnvelope): Promise<{ channelMessageId: string } | null> {
    const id = await this.sentLog.find(envelope.numberId, envelope.idempotencyKey);
    return id === null ? null : { channelMessageId: id };
  }
}
