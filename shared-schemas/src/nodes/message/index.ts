import { type Static, Type } from '@sinclair/typebox';
import { error } from '../../validation/problem.js';
import { defineNode } from '../node-definition.js';
import { NEXT_HANDLE, NonEmptyText } from '../shared.js';
import { StringEnum } from '../string-enum.js';

export const MediaKind = StringEnum(['image', 'document', 'audio', 'video']);

export const MessageMedia = Type.Object(
  {
    url: Type.String({ format: 'uri', 'x-message': 'Must be a full link starting with https://' }),
    kind: MediaKind,
    caption: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const MessageConfig = Type.Object(
  {
    text: Type.Optional(NonEmptyText()),
    media: Type.Optional(MessageMedia),
  },
  { additionalProperties: false },
);
export type MessageConfig = Static<typeof MessageConfig>;

export const messageNode = defineNode({
  type: 'message',
  title: 'Send message',
  description: 'Sends a text and/or a media file, then continues.',
  category: 'say',
  configSchema: MessageConfig,
  settingsUi: {
    'ui:order': ['text', 'media'],
    text: {
      'ui:widget': 'textarea',
      'ui:title': 'Message',
      'ui:help': 'Use {{variable}} to insert an answer, e.g. {{contact.name}}.',
    },
    media: { 'ui:title': 'Attachment', 'ui:help': 'Optional image, document, audio or video link.' },
  },
  defaults: () => ({ text: 'Hello {{contact.name}}!' }),
  handles: () => NEXT_HANDLE,
  references: (config) => ({
    templates: [
      ...(config.text === undefined ? [] : [{ pointer: '/text', text: config.text }]),
      ...(config.media?.caption === undefined
        ? []
        : [{ pointer: '/media/caption', text: config.media.caption }]),
    ],
    reads: [],
    defines: [],
  }),
  sends: () => 1,
  summary: (config) => config.text,
  check: (config, ctx) =>
    config.text === undefined && config.media === undefined
      ? [error(`${ctx.pointer}/config`, 'A message needs a text, an attachment, or both.')]
      : [],
});
