import type { Agent, EngineEvent, InboundLocation, InboundMedia } from '@parley/engine';
import type { InboundMessage } from '../channels/channel.js';
import type { PendingInbound } from '../repositories/inbox-repository.js';

/** What of an inbound message is stored in `messages.body` (and read back to run the engine). */
export function inboundBody(message: InboundMessage): Record<string, unknown> {
  return {
    ...(message.text === undefined ? {} : { text: message.text }),
    ...(message.media === undefined ? {} : { media: message.media }),
    ...(message.location === undefined ? {} : { location: message.location }),
    ...(message.choiceIds === undefined ? {} : { choiceIds: message.choiceIds }),
    ...(message.contactName === undefined ? {} : { contactName: message.contactName }),
    ...(message.stale === true ? { stale: true } : {}),
    sentAt: message.sentAt,
  };
}

/** A message recorded too late to answer (see InboundMessage.stale): it is skipped, not run. */
export function isStaleInbound(row: PendingInbound): boolean {
  return row.body.stale === true;
}

/** Agent messages' rows are `agent-<id>`: the id the API gave the message. */
const AGENT_MESSAGE_PREFIX = 'agent-';

/**
 * The engine event of a stored inbound row. Besides contacts' messages the inbox carries control
 * events from the API (`body.control`: release, resume, a person's message), so they are durable
 * and ordered with the messages.
 */
export function inboundEvent(row: PendingInbound): EngineEvent {
  if (row.body.control === 'release') return { type: 'release' };
  if (row.body.control === 'resume') return { type: 'resume', nodeId: String(row.body.nodeId) };
  if (row.body.control === 'agent_message') {
    const body = row.body as { text?: string; media?: InboundMedia; agent?: Partial<Agent> };
    return {
      type: 'agent_message',
      id: row.waMessageId.startsWith(AGENT_MESSAGE_PREFIX)
        ? row.waMessageId.slice(AGENT_MESSAGE_PREFIX.length)
        : row.waMessageId,
      ...(body.text === undefined ? {} : { text: body.text }),
      ...(body.media === undefined ? {} : { media: body.media }),
      // A row without its writer still goes out (a throw here would hold the contact's queue).
      agent: { id: String(body.agent?.id ?? ''), name: String(body.agent?.name ?? 'Someone from the team') },
    };
  }
  const body = row.body as {
    text?: string;
    media?: InboundMedia;
    location?: InboundLocation;
    choiceIds?: string[];
    contactName?: string;
  };
  return {
    type: 'message',
    id: row.waMessageId,
    ...(body.text === undefined ? {} : { text: body.text }),
    ...(body.media === undefined ? {} : { media: body.media }),
    ...(body.location === undefined ? {} : { location: body.location }),
    ...(body.choiceIds === undefined ? {} : { choiceIds: body.choiceIds }),
    contact: { phone: row.contact, ...(body.contactName === undefined ? {} : { name: body.contactName }) },
  };
}
