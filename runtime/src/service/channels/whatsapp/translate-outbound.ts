import type { Choice } from '@parley/schemas';
import type { OutboundEnvelope } from '../channel.js';

/** One WhatsApp message to send; an engine message becomes one or two of these. */
export type WaOutboundPart =
  | { kind: 'text'; text: string }
  | { kind: 'poll'; name: string; options: string[]; allowMultiple: boolean }
  | {
      kind: 'media';
      url: string;
      mediaKind: 'image' | 'document' | 'audio' | 'video';
      caption?: string;
    };

/** What WhatsApp accepts in a poll; a choice question beyond these is sent as a numbered list. */
export const POLL_LIMITS = { maxOptions: 12, maxOptionLength: 100, maxNameLength: 255 } as const;

/**
 * The chat id of a contact: E.164 `+4915112345678` → `4915112345678@c.us`; a contact known only by
 * its `@lid` (see contactOfLid) → `<id>@lid`.
 */
export function chatIdOf(contact: string): string {
  if (contact.startsWith('lid:')) return `${contact.slice(4)}@lid`;
  if (contact.includes('@')) return contact;
  const digits = contact.replace(/[^\d]/g, '');
  if (digits === '') throw new Error(`“${contact}” is not a phone number`);
  return `${digits}@c.us`;
}

/** "Pick a plan" + choices → "Pick a plan\n\n1. Basic\n2. Pro" (the engine matches the numbers back). */
export function numberedList(text: string, choices: readonly Choice[]): string {
  const list = choices.map((choice, index) => `${index + 1}. ${choice.label}`).join('\n');
  return text.trim() === '' ? list : `${text}\n\n${list}`;
}

/**
 * The poll options for choices (their labels, trimmed), or null when WhatsApp could not show them
 * as a poll: too many, empty, too long, or two that read the same (votes come back by name).
 */
export function pollOptionNames(choices: readonly Choice[]): string[] | null {
  if (choices.length < 2 || choices.length > POLL_LIMITS.maxOptions) return null;
  const names = choices.map((choice) => choice.label.trim());
  if (names.some((name) => name === '' || name.length > POLL_LIMITS.maxOptionLength)) return null;
  if (new Set(names.map((name) => name.toLowerCase())).size !== names.length) return null;
  return names;
}

export interface OutboundOptions {
  /** Whether a choice question takes several answers (a multi-answer poll). */
  multiple: boolean;
}

function mediaParts(
  text: string,
  media: NonNullable<OutboundEnvelope['message']['media']>,
): WaOutboundPart[] {
  const caption = media.caption?.trim() ? media.caption : undefined;
  const body = text.trim() === '' ? undefined : text;
  const file = { kind: 'media' as const, url: media.url, mediaKind: media.kind };
  // Voice/audio messages carry no caption on WhatsApp: the words go first, on their own.
  if (media.kind === 'audio') {
    return [
      ...(body === undefined ? [] : [{ kind: 'text' as const, text: body }]),
      ...(caption === undefined ? [] : [{ kind: 'text' as const, text: caption }]),
      file,
    ];
  }
  if (caption !== undefined && body !== undefined)
    return [
      { kind: 'text', text: body },
      { ...file, caption },
    ];
  const only = caption ?? body;
  return [only === undefined ? file : { ...file, caption: only }];
}

/**
 * How an engine message looks on WhatsApp. Choices are rendered here (the prompt text never lists
 * them): a numbered list under the text by default, or a poll with `render: 'poll'` when WhatsApp
 * can show them as one. Never buttons or lists: they no longer arrive on unofficial clients.
 */
export function planOutbound(
  message: OutboundEnvelope['message'],
  options: OutboundOptions,
): WaOutboundPart[] {
  const { text, choices, render, media } = message;
  if (media !== undefined) return mediaParts(text, media);
  if (choices !== undefined && choices.length > 0) {
    const names = render === 'poll' ? pollOptionNames(choices) : null;
    const name = text.trim();
    if (names !== null && name !== '' && name.length <= POLL_LIMITS.maxNameLength) {
      return [{ kind: 'poll', name, options: names, allowMultiple: options.multiple }];
    }
    return [{ kind: 'text', text: numberedList(text, choices) }];
  }
  return text === '' ? [] : [{ kind: 'text', text }];
}

/** The text a part shows in the chat (to recognise it among recent messages after a crash). */
export function visibleTextOf(part: WaOutboundPart): string {
  if (part.kind === 'text') return part.text;
  if (part.kind === 'poll') return part.name;
  return part.caption ?? '';
}
