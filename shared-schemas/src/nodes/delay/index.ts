import { type Static, Type } from '@sinclair/typebox';
import { defineNode } from '../node-definition.js';
import { NEXT_HANDLE, noReferences } from '../shared.js';

export const DelayConfig = Type.Object(
  { seconds: Type.Number({ exclusiveMinimum: 0, maximum: 7 * 24 * 3600 }) },
  { additionalProperties: false },
);
export type DelayConfig = Static<typeof DelayConfig>;

export const delayNode = defineNode({
  type: 'delay',
  title: 'Wait',
  description: 'Pauses before continuing (e.g. to space out messages).',
  category: 'logic',
  configSchema: DelayConfig,
  settingsUi: {
    'ui:order': ['seconds'],
    seconds: { 'ui:widget': 'number', 'ui:title': 'Seconds', 'ui:help': 'Up to 7 days.' },
  },
  defaults: () => ({ seconds: 5 }),
  summary: (config) => duration(config.seconds),
  handles: () => NEXT_HANDLE,
  references: noReferences,
  stops: 'wait',
});

/** A wait in words: "30 seconds", "1.5 min", "2 h", "3 days". */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 3600) return `${Math.round(seconds / 6) / 10} min`;
  if (seconds < 86400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} days`;
}
