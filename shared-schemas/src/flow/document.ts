import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { NODE_TYPES, type NodeConfigs, type NodeType, nodeDefinitions } from '../nodes/registry.js';
import { StringEnum } from '../nodes/string-enum.js';

export const FLOW_SCHEMA_VERSION = 1;

export const Position = Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false });

/** Whole-message words (any case) and the reply they get. */
const ReplyWords = Type.Object(
  {
    words: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 20 }),
    text: Type.String({ minLength: 1, maxLength: 4096 }),
  },
  { additionalProperties: false },
);

export const FlowSettings = Type.Object(
  {
    sessionTimeoutMinutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 43200 })),
    fallbackText: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    maxStepsPerTurn: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    reminder: Type.Optional(
      Type.Object(
        {
          afterMinutes: Type.Number({ exclusiveMinimum: 0 }),
          text: Type.String({ minLength: 1, maxLength: 4096 }),
        },
        { additionalProperties: false },
      ),
    ),
    expiredText: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    defaultCountry: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        'x-message': 'Use a two-letter country code such as US, BR or DE.',
      }),
    ),
    /**
     * Built-in replies, so a contact is never left without an answer: words that stop or explain
     * (never stored as answers), a reply to a message after the conversation has ended, and one to
     * a message that starts nothing (it answers everyone who writes, so it is off unless set).
     */
    replies: Type.Optional(
      Type.Object(
        {
          stop: Type.Optional(ReplyWords),
          help: Type.Optional(ReplyWords),
          afterEnd: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
          noMatch: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Read a phone answer without a country code as a number of the contact's own country. */
    phoneCountryFromContact: Type.Optional(Type.Boolean()),
    locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35 })),
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        'x-message': 'Use a time zone name such as Europe/Berlin or America/Sao_Paulo.',
      }),
    ),
    /**
     * A hand-off nobody answers within `timeoutMinutes` (counted from the next opening when it
     * starts outside business hours) tells the contact `timeoutText` and follows the hand-off
     * block's "No reply in time" outcome when it is connected.
     */
    handoff: Type.Optional(
      Type.Object(
        {
          timeoutMinutes: Type.Integer({
            minimum: 1,
            maximum: 10080,
            'x-message': 'Use a whole number of minutes from 1 to 10080 (one week).',
          }),
          timeoutText: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type FlowSettings = Static<typeof FlowSettings>;

const TriggerBase = {
  id: Type.String({ minLength: 1, maxLength: 64 }),
  interrupt: Type.Optional(Type.Boolean()),
  target: Type.String({ minLength: 1 }),
};

export const KeywordTrigger = Type.Object(
  {
    ...TriggerBase,
    type: Type.Literal('keyword'),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100 }),
    match: Type.Optional(StringEnum(['exact', 'contains', 'regex'])),
  },
  { additionalProperties: false },
);
export const AnyMessageTrigger = Type.Object(
  { ...TriggerBase, type: Type.Literal('any_message') },
  { additionalProperties: false },
);
export type KeywordTrigger = Static<typeof KeywordTrigger>;
export type AnyMessageTrigger = Static<typeof AnyMessageTrigger>;
export type Trigger = KeywordTrigger | AnyMessageTrigger;
export const TRIGGER_TYPES = ['keyword', 'any_message'] as const;

export type FlowNode = {
  [K in NodeType]: {
    id: string;
    type: K;
    /** The node's name as people read it on the canvas, in problems, diffs and the funnel. */
    label?: string;
    position?: Static<typeof Position>;
    config: NodeConfigs[K];
  };
}[NodeType];

/**
 * The sub-schema is picked by `type` with if/then, so a wrong config reports the errors of its
 * own type only (a plain anyOf would report every alternative's errors).
 */
function byType(variants: [string, TSchema][], field?: string) {
  return variants.map(([type, schema]) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword here.
    then: field === undefined ? schema : { properties: { [field]: schema } },
  }));
}

const NodeSchema = Type.Unsafe<FlowNode>({
  type: 'object',
  required: ['id', 'type', 'config'],
  additionalProperties: false,
  properties: {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    type: {
      type: 'string',
      enum: NODE_TYPES,
      'x-message': `Unknown node type. Known types: ${NODE_TYPES.join(', ')}.`,
    },
    label: Type.String({ minLength: 1, maxLength: 80 }),
    position: Position,
    config: Type.Object({}),
  },
  allOf: byType(
    NODE_TYPES.map((type) => [type, nodeDefinitions[type].configSchema]),
    'config',
  ),
});

const TriggerSchema = Type.Unsafe<Trigger>({
  type: 'object',
  required: ['type'],
  properties: {
    type: {
      type: 'string',
      enum: TRIGGER_TYPES,
      'x-message': 'Trigger type must be keyword or any_message.',
    },
  },
  allOf: byType([
    ['keyword', KeywordTrigger],
    ['any_message', AnyMessageTrigger],
  ]),
});

export const Edge = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    source: Type.String({ minLength: 1 }),
    sourceHandle: Type.String({ minLength: 1 }),
    target: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type Edge = Static<typeof Edge>;

export const FlowDocumentSchema = Type.Object(
  {
    schemaVersion: Type.Literal(FLOW_SCHEMA_VERSION, {
      'x-message': 'This file is not a Parley Flow Document v1.',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    settings: Type.Optional(FlowSettings),
    triggers: Type.Array(TriggerSchema, { maxItems: 1000 }),
    nodes: Type.Array(NodeSchema, { maxItems: 10000 }),
    edges: Type.Array(Edge, { maxItems: 50000 }),
  },
  { additionalProperties: false, $id: 'https://parley.dev/schemas/flow-document-v1.json' },
);
export type FlowDocument = Static<typeof FlowDocumentSchema>;
