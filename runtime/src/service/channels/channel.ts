import type { InboundLocation, InboundMedia, OutboundMessage } from '@parley/engine';

/** A message from a contact, as a channel hands it to the runtime. */
export interface InboundMessage {
  numberId: string;
  /** The contact's id on the number: E.164 phone for WhatsApp. */
  contact: string;
  contactName?: string;
  /** The channel's message id: inbound messages are handled once per id. */
  id: string;
  text?: string;
  media?: InboundMedia;
  location?: InboundLocation;
  /** A poll vote: the choice ids picked. */
  choiceIds?: string[];
  /** When the contact sent it (epoch ms). */
  sentAt: number;
  /** Too old to answer (it waited out a disconnection): recorded, never run through the flow. */
  stale?: boolean;
}

/** A reply on its way out: the engine's message plus who gets it and its idempotency key. */
export interface OutboundEnvelope {
  messageId: number;
  numberId: string;
  contact: string;
  idempotencyKey: string;
  message: Omit<OutboundMessage, 'conversationId'>;
}

/** Every idempotency key of one contact's replies on a number starts so (erasure finds them by it). */
export function idempotencyKeyPrefix(numberId: string, contact: string): string {
  return `${numberId}:${contact}:`;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Why a send failed, and whether trying again may help. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/** The runtime side a channel talks to. */
export interface ChannelHost {
  /** Records an inbound message durably; resolves once it is safe for the channel to forget it. */
  receive(message: InboundMessage): Promise<'accepted' | 'duplicate'>;
  /** A delivery receipt for a message this runtime sent. */
  receipt(numberId: string, channelMessageId: string, status: DeliveryStatus): Promise<void>;
}

/** A way to reach contacts: the WhatsApp adapter, or the simulator. */
export interface Channel {
  readonly kind: 'whatsapp' | 'simulator';
  /** Sends one message; resolves with the channel's id for it. Throws ChannelSendError. */
  send(envelope: OutboundEnvelope): Promise<{ channelMessageId: string }>;
  /** Shows "typing…" for about `ms` before a send (ban avoidance); optional. */
  typing?(numberId: string, contact: string, ms: number): Promise<void>;
  /**
   * After a crash between sending and recording it: the id of an earlier send with this
   * idempotency key, or null when it never went out (so a retry cannot send twice).
   */
  findSent(envelope: OutboundEnvelope): Promise<{ channelMessageId: string } | null>;
  /**
   * Whether this process can send for the number now (the WhatsApp channel: it owns the number and
   * is connected). When false the dispatcher leaves the number's messages queued. Absent: always.
   */
  handles?(numberId: string): boolean;
  /**
   * Whether a message counts as delivered as soon as it is sent, recorded with the send itself:
   * a channel with no phone to confirm delivery (the simulator). Absent: receipts tell.
   */
  deliveredOnSend?(envelope: OutboundEnvelope): boolean;
}
