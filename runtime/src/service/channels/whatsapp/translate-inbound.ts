import type { InboundLocation, InboundMedia } from '@parley/engine';
import { type Choice, storableJson } from '@parley/schemas';
import type { DeliveryStatus, InboundMessage } from '../channel.js';
import { pollOptionNames } from './translate-outbound.js';
import type { WaIncoming, WaVote } from './wa-client.js';

/** What an inbound WhatsApp message carries for a flow, or why it is not for one. */
export type InboundContent =
  | { kind: 'ignore'; reason: string }
  | { kind: 'text'; text: string }
  | { kind: 'location'; location: InboundLocation }
  | {
      kind: 'media';
      mimeType: string;
      fileName?: string;
      size?: number;
      caption?: string;
      /** Over the size cap: not downloaded, handed over as its caption (or empty text). */
      tooLarge: boolean;
    };

/** Who sent a message: a phone (`+<digits>`), a `@lid` to map to a phone, or not a contact. */
export type Sender = { kind: 'phone'; contact: string } | { kind: 'lid'; lid: string } | { kind: 'other' };

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'ptt', 'document', 'sticker']);

/** `4915112345678@c.us` (or `@s.whatsapp.net`) → `+4915112345678`; null for other ids. */
export function phoneOfJid(jid: string): string | null {
  const match = /^(\d{5,15})(?::\d+)?@(c\.us|s\.whatsapp\.net)$/.exec(jid);
  return match === null ? null : `+${match[1]}`;
}

export function senderOf(chatId: string): Sender {
  const phone = phoneOfJid(chatId);
  if (phone !== null) return { kind: 'phone', contact: phone };
  if (/^\d+(?::\d+)?@lid$/.test(chatId)) return { kind: 'lid', lid: chatId };
  return { kind: 'other' };
}

/** The contact id of a `@lid` sender whose phone WhatsApp did not reveal (replies still reach it). */
export function contactOfLid(lid: string): string {
  return `lid:${lid.replace(/(?::\d+)?@lid$/, '')}`;
}

/** Sorts out what a message is; groups, statuses, broadcasts and our own messages are not for flows. */
export function classifyInbound(message: WaIncoming, maxMediaBytes: number): InboundContent {
  if (message.fromMe) return { kind: 'ignore', reason: 'sent by this number' };
  if (message.isStatus || message.broadcast || message.chatId.endsWith('@broadcast'))
    return { kind: 'ignore', reason: 'status or broadcast' };
  if (message.chatId.endsWith('@g.us')) return { kind: 'ignore', reason: 'group chat' };
  if (message.chatId.endsWith('@newsletter')) return { kind: 'ignore', reason: 'channel' };
  if (message.type === 'chat') {
    return message.body === ''
      ? { kind: 'ignore', reason: 'empty text' }
      : { kind: 'text', text: message.body };
  }
  if (message.type === 'location' && message.location !== undefined) {
    const { lat, lng, name } = message.location;
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) return { kind: 'ignore', reason: 'bad location' };
    return { kind: 'location', location: { lat, lng, ...(name ? { name } : {}) } };
  }
  if (MEDIA_TYPES.has(message.type) && message.hasMedia) {
    const caption = message.body.trim() === '' ? undefined : message.body;
    return {
      kind: 'media',
      mimeType: message.mimeType ?? 'application/octet-stream',
      ...(message.fileName === undefined ? {} : { fileName: message.fileName }),
      ...(message.size === undefined ? {} : { size: message.size }),
      ...(caption === undefined ? {} : { caption }),
      tooLarge: message.size !== undefined && message.size > maxMediaBytes,
    };
  }
  return { kind: 'ignore', reason: `unsupported message type ${message.type}` };
}

/** True when a message was sent longer than `maxAgeMs` ago: recorded, but not answered. */
export function isStale(sentAtMs: number, nowMs: number, maxAgeMs: number): boolean {
  return maxAgeMs > 0 && nowMs - sentAtMs > maxAgeMs;
}

export interface InboundContext {
  numberId: string;
  contact: string;
  nowMs: number;
  maxAgeMs: number;
  /** The stored file of a downloaded media message. */
  media?: InboundMedia;
}

/**
 * The runtime's InboundMessage for a classified WhatsApp message (null for ignored ones), its
 * text, names and captions storable (NUL and lone surrogates replaced).
 */
export function toInboundMessage(
  message: WaIncoming,
  content: InboundContent,
  context: InboundContext,
): InboundMessage | null {
  const inbound = translate(message, content, context);
  return inbound === null ? null : storableJson(inbound);
}

function translate(
  message: WaIncoming,
  content: InboundContent,
  context: InboundContext,
): InboundMessage | null {
  if (content.kind === 'ignore') return null;
  const sentAt = message.timestamp > 0 ? message.timestamp * 1000 : context.nowMs;
  const base: InboundMessage = {
    numberId: context.numberId,
    contact: context.contact,
    id: message.id,
    sentAt,
    ...(message.notifyName === undefined ? {} : { contactName: message.notifyName }),
    ...(isStale(sentAt, context.nowMs, context.maxAgeMs) ? { stale: true } : {}),
  };
  if (content.kind === 'text') return { ...base, text: content.text };
  if (content.kind === 'location') return { ...base, location: content.location };
  const caption = content.caption === undefined ? {} : { text: content.caption };
  // Too large or not downloadable: the caption alone (a media question then asks again).
  if (context.media === undefined) return { ...base, text: content.caption ?? '' };
  return { ...base, ...caption, media: context.media };
}

/**
 * A poll vote → the choice ids of the poll we sent: options come back by name (the names
 * pollOptionNames gave them), else by position. Unknown options are dropped.
 */
export function choiceIdsForVote(selected: WaVote['selected'], choices: readonly Choice[]): string[] {
  const names = pollOptionNames(choices) ?? choices.map((choice) => choice.label.trim());
  const ids: string[] = [];
  for (const option of selected) {
    const byName = option.name === undefined ? -1 : names.indexOf(option.name.trim());
    const index = byName >= 0 ? byName : option.localId;
    const choice = choices[index];
    if (choice !== undefined && !ids.includes(choice.id)) ids.push(choice.id);
  }
  return ids;
}

/** The id an inbound vote is recorded (and deduplicated) under. */
export function voteMessageId(vote: WaVote): string {
  return `vote:${vote.pollMessageId}:${vote.voter}:${vote.at}`;
}

/** Messages of one burst in the order they were sent (stable: equal stamps keep arrival order). */
export function inSentOrder<T extends { timestamp: number }>(messages: readonly T[]): T[] {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.timestamp - b.message.timestamp || a.index - b.index)
    .map(({ message }) => message);
}

/** whatsapp-web.js ack levels → delivery receipts (-1 error, 1 server, 2 device, 3 read, 4 played). */
export function receiptOfAck(ack: number): DeliveryStatus | null {
  if (ack === -1) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack >= 3) return 'read';
  return null;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'application/pdf': 'pdf',
};

/** A safe file name for a stored media file: the message id, plus an extension from its type or name. */
export function mediaFileName(messageId: string, mimeType: string, fileName?: string): string {
  const base = messageId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  const fromName = fileName === undefined ? undefined : /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  const extension = EXTENSIONS[mimeType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? fromName?.toLowerCase();
  return extension === undefined ? base : `${base}.${extension}`;
}
