import { type Static, Type } from '@sinclair/typebox';
import { error, type Problem } from '../../validation/problem.js';
import {
  AI_INSTRUCTIONS_UI,
  AI_MODEL_UI,
  AiCredentialId,
  AiInstructions,
  AiModelName,
  AiSource,
  missingCredential,
  readTemplates,
} from '../ai-model.js';
import { defineNode } from '../node-definition.js';
import { duplicateNames, VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';

/** The kinds of value an extraction field holds; each becomes a JSON Schema the value must meet. */
export const AI_FIELD_TYPES = ['text', 'number', 'date', 'yes_no', 'email', 'choice'] as const;
export type AiFieldType = (typeof AI_FIELD_TYPES)[number];

export const AiField = Type.Object(
  {
    name: VariableName,
    description: Type.String({ maxLength: 300 }),
    type: StringEnum(AI_FIELD_TYPES),
    /** The allowed values of a `choice` field. */
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AiField = Static<typeof AiField>;

export const AiExtractConfig = Type.Object(
  {
    credentialId: AiCredentialId,
    model: AiModelName,
    source: Type.Optional(AiSource),
    /** A variable holding a photo or file the contact sent (a question that takes media). */
    imageFrom: Type.Optional(VariableName),
    instructions: Type.Optional(AiInstructions),
    fields: Type.Array(AiField, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type AiExtractConfig = Static<typeof AiExtractConfig>;

/** The JSON Schema a field's value must meet (the model is asked for it, the runtime checks it). */
export function fieldSchema(field: AiField): Record<string, unknown> {
  const described = { description: field.description || field.name };
  switch (field.type) {
    case 'text':
      return { type: 'string', minLength: 1, maxLength: 2000, ...described };
    case 'number':
      return { type: 'number', ...described };
    case 'date':
      return { type: 'string', format: 'date', ...described };
    case 'yes_no':
      return { type: 'boolean', ...described };
    case 'email':
      return { type: 'string', format: 'email', maxLength: 320, ...described };
    case 'choice':
      return { type: 'string', enum: field.options ?? [], ...described };
  }
}

/**
 * The schema of the whole answer. Every field may be null (not in the text), so a model with
 * strict structured output can say "not found" instead of inventing a value.
 */
export function extractionSchema(fields: AiField[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(
      fields.map((field) => [field.name, { anyOf: [fieldSchema(field), { type: 'null' }] }]),
    ),
    required: fields.map((field) => field.name),
    additionalProperties: false,
  };
}

export const aiExtractNode = defineNode({
  type: 'ai_extract',
  title: 'AI extract',
  description: 'Reads free text (or a photo) and fills variables: a name, a date, a service.',
  category: 'ai',
  configSchema: AiExtractConfig,
  settingsUi: {
    'ui:order': ['credentialId', 'model', 'source', 'imageFrom', 'fields', 'instructions'],
    ...AI_MODEL_UI,
    source: {
      'ui:widget': 'textarea',
      'ui:title': 'Read from',
      'ui:help': 'Leave empty to read the contact’s last message, also one a question refused.',
      'ui:placeholder': '{{notes}}',
    },
    imageFrom: {
      'ui:title': 'Photo from',
      'ui:help': 'Optional: the variable of a question that takes a photo. Needs a model that sees images.',
    },
    fields: { 'ui:widget': 'own', 'ui:title': 'Fields' },
    instructions: AI_INSTRUCTIONS_UI,
  },
  defaults: () => ({
    credentialId: '',
    model: '',
    fields: [
      { name: 'name', description: 'The contact’s first name', type: 'text' as const, required: true },
    ],
  }),
  handles: () => [
    { id: 'next', label: 'Next' },
    { id: 'invalid', label: 'Not found' },
  ],
  references: (config) => ({
    templates: readTemplates(config),
    reads: config.imageFrom === undefined ? [] : [{ pointer: '/imageFrom', path: config.imageFrom }],
    defines: config.fields.map((field) => field.name),
  }),
  stops: 'wait',
  stores: (config) =>
    config.fields.map((field) => ({
      variable: field.name,
      title: field.description || field.name,
      answer: fieldSchema(field) as { type: string },
    })),
  summary: (config) => config.fields.map((field) => field.name).join(', '),
  unsetOn: (config) => ({ invalid: config.fields.map((field) => field.name) }),
  unconnected: () => ({
    invalid:
      'When the text does not hold what the fields ask for (or the model cannot be reached), the conversation ends here without a word to the contact. Connect “Not found” to ask again.',
  }),
  // A photo read from an answer that is not a photo would always leave by Not found.
  publishCheck: (config, ctx) => {
    if (config.imageFrom === undefined) return [];
    const asked = ctx.askedBy(config.imageFrom);
    if (asked === undefined || asked.question.accept === 'media') return [];
    return [
      error(
        `${ctx.pointer}/config/imageFrom`,
        `“${config.imageFrom}” is the answer to a question that does not take photos, so there would never be a photo to read. Pick the variable of a question that takes a photo or file.`,
      ),
    ];
  },
  check: (config, ctx) => [
    ...missingCredential(config, ctx),
    ...duplicateNames(
      config.fields.map((field) => field.name),
      `${ctx.pointer}/config/fields`,
      'field',
    ),
    ...config.fields.flatMap((field, index): Problem[] =>
      field.type === 'choice' && (field.options ?? []).length === 0
        ? [
            error(
              `${ctx.pointer}/config/fields/${index}/options`,
              `The field “${field.name}” is a choice with no options, so no value could ever be accepted. Add the options.`,
            ),
          ]
        : [],
    ),
  ],
});
