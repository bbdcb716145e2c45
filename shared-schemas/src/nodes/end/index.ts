import { type Static, Type } from '@sinclair/typebox';
import { defineNode } from '../node-definition.js';
import { NonEmptyText, textReferences } from '../shared.js';

export const EndConfig = Type.Object(
  { text: Type.Optional(NonEmptyText()) },
  { additionalProperties: false },
);
export type EndConfig = Static<typeof EndConfig>;

export const endNode = defineNode({
  type: 'end',
  title: 'End',
  description: 'Sends an optional goodbye and completes the conversation, saving the answers.',
  category: 'finish',
  configSchema: EndConfig,
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
