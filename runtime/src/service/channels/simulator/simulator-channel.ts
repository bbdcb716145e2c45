import { randomUUID } from 'node:crypto';
import { type Bus, busChannels } from '@parley/db';
import type { Channel, OutboundEnvelope } from '../channel.js';
import type { SentLog } from './sent-log.js';

export interface SimulatorDelivery {
  type: 'message';
  numberId: string;
  contact: string;
  channelMessageId: string;
  message: OutboundEnvelope['message'];
  at: number;
}

/** The test channel: "sending" publishes the message to simulator clients (the admin UI, tests). */
export class SimulatorChannel implements Channel {
  readonly kind = 'simulator' as const;

  constructor(
    private readonly bus: Bus,
    private readonly sentLog: SentLog,
  ) {}

  async send(envelope: OutboundEnvelope): Promise<{ channelMessageId: string }> {
    const channelMessageId = `sim-out-${randomUUID()}`;
    const earlier = await this.sentLog.record(envelope.numberId, envelope.idempotencyKey, channelMessageId);
    if (earlier !== null) return { channelMessageId: earlier };
    const delivery: SimulatorDelivery = {
      type: 'message',
      numberId: envelope.numberId,
      contact: envelope.contact,
      channelMessageId,
      message: envelope.message,
      at: Date.now(),
    };
    await this.bus.publish(busChannels.simulator(envelope.numberId), delivery);
    return { channelMessageId };
  }

  async findSent(envelope: OutboundEnvelope): Promise<{ channelMessageId: string } | null> {
    const id = await this.sentLog.find(envelope.numberId, envelope.idempotencyKey);
    return id === null ? null : { channelMessageId: id };
  }
}
