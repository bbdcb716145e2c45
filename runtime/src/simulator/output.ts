import type { OutboundMessage } from '@parley/engine';
import type { SimulationResult } from './simulator.js';

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

export function resultLine(result: SimulationResult): Record<string, unknown> {
  return { type: 'result', ...result };
}
