import { type Static, Type } from '@sinclair/typebox';
import { defineNode } from '../node-definition.js';
import { NonEmptyText, textReferences } from '../shared.js';

export const HandoffConfig = Type.Object(
  { text: Type.Optional(NonEmptyText()) },
  { additionalProperties: false },
);
export type HandoffConfig = Static<typeof HandoffConfig>;

export const handoffNode = defineNode({
  type: 'handoff',
  title: 'Hand off to a human',
  description: 'Stops the bot for this contact and flags the chat for a person.',
  category: 'finish',
  configSchema: HandoffConfig,
  settingsUi: {
    'ui:order': ['text'],
    text: { 'ui:widget': 'textarea', 'ui:title': 'Last message', 'ui:help': 'Optional.' },
  },
  defaults: () => ({}),
  handles: () => [],
  references: (config) => textReferences('text', config.text),
  stops: 'finish',
  sends: (config) => (config.text === undefined ? 0 : 1),
});
