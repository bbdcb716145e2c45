import type { OutboundMessage, TurnNote } from '@parley/engine';
import type { SimulatedTurn, SimulationResult } from './simulator.js';

/** The JSON line `parley simulate` prints for a bot message. */
export function messageLine(message: OutboundMessage): Record<string, unknown> {
  return {
    type: 'message',
    text: message.text,
    ...(message.choices === undefined
      ? {}
      : { choices: message.choices.map(({ id, label, value }) => ({ id, label, value })) }),
    ...(message.media === undefined ? {} : { media: message.media }),
  };
}

/** The JSON line `parley simulate` prints for what an AI block did that the contact does not see. */
export function noteLine(note: TurnNote): Record<string, unknown> {
  return { type: 'note', kind: note.kind, text: note.text };
}

/**
 * A turn's lines in the order they happened: messages, with the notes of AI blocks (tool calls,
 * failures, refused values) between them. Other notes stay out, so flows without AI print what
 * they always did.
 */
export function turnLines(turn: SimulatedTurn): Record<string, unknown>[] {
  const notes = turn.notes.filter((note) => note.kind.startsWith('ai_'));
  const lines: Record<string, unknown>[] = [];
  for (const [index, message] of turn.messages.entries()) {
    lines.push(...notes.filter((note) => note.after === index).map(noteLine));
    lines.push(messageLine(message));
  }
  lines.push(...notes.filter((note) => note.after >= turn.messages.length).map(noteLine));
  return lines;
}

export function resultLine(result: SimulationResult): Record<string, unknown> {
  return { type: 'result', ...result };
}
