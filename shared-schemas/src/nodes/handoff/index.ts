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
    text: {
      'ui:widget': 'textarea',
      'ui:title': 'Last message',
      'ui:help': 'Optional. How long people have to reply (then “No reply in time”) is set in Flow settings.',
    },
  },
  defaults: () => ({}),
  // Taken only when the flow's hand-off timeout passes without a reply from a person; left
  // unconnected, the conversation stays with the people after the timeout message.
  handles: () => [{ id: 'timeout', label: 'No reply in time' }],
  references: (config) => textReferences('text', config.text),
  stops: 'finish',
  sends: (config) => (config.text === undefined ? 0 : 1),
});
