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
import { RESERVED_HANDLES, VariableName } from '../shared.js';

export const AiCategory = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AiCategory = Static<typeof AiCategory>;

export const AiClassifyConfig = Type.Object(
  {
    credentialId: AiCredentialId,
    model: AiModelName,
    source: Type.Optional(AiSource),
    instructions: Type.Optional(AiInstructions),
    categories: Type.Array(AiCategory, { minItems: 1, maxItems: 20 }),
    /** Stores the chosen category's name (empty for Else). */
    saveAs: Type.Optional(VariableName),
  },
  { additionalProperties: false },
);
export type AiClassifyConfig = Static<typeof AiClassifyConfig>;

/** What the model answers when no category fits. */
export const AI_CLASSIFY_NO_CATEGORY = 'none of these';

/** The schema of the model's answer: one of the category names, or "none of these". */
export function classificationSchema(categories: AiCategory[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      category: { type: 'string', enum: [...categories.map((c) => c.name), AI_CLASSIFY_NO_CATEGORY] },
    },
    required: ['category'],
    additionalProperties: false,
  };
}

export const aiClassifyNode = defineNode({
  type: 'ai_classify',
  title: 'AI route',
  description: 'Sends the conversation one way or another by what the contact wants.',
  category: 'ai',
  configSchema: AiClassifyConfig,
  settingsUi: {
    'ui:order': ['credentialId', 'model', 'source', 'categories', 'saveAs', 'instructions'],
    ...AI_MODEL_UI,
    source: {
      'ui:widget': 'textarea',
      'ui:title': 'Read from',
      'ui:help': 'Leave empty to read the contact’s last message.',
    },
    categories: {
      'ui:widget': 'own',
      'ui:title': 'Categories',
      'ui:help': 'One outcome each; “Else” when none fits.',
    },
    saveAs: { 'ui:title': 'Save category as', 'ui:help': 'Optional: stores the chosen category’s name.' },
    instructions: AI_INSTRUCTIONS_UI,
  },
  defaults: () => ({
    credentialId: '',
    model: '',
    categories: [
      { id: 'c1', name: 'Booking', description: 'Wants to book, move or cancel a visit' },
      { id: 'c2', name: 'Question', description: 'Asks about prices, hours or services' },
    ],
  }),
  handles: (config) => [
    ...config.categories.map((category) => ({ id: category.id, label: category.name })),
    { id: 'else', label: 'Else' },
  ],
  references: (config) => ({
    templates: readTemplates(config),
    reads: [],
    defines: config.saveAs === undefined ? [] : [config.saveAs],
  }),
  stops: 'wait',
  stores: (config) =>
    config.saveAs === undefined
      ? []
      : [{ variable: config.saveAs, title: 'Category', answer: { type: 'string' } }],
  summary: (config) => config.categories.map((category) => category.name).join(' / '),
  check: (config, ctx) => [
    ...missingCredential(config, ctx),
    ...categoryProblems(config.categories, ctx.pointer),
  ],
});

function categoryProblems(categories: AiCategory[], pointer: string): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const [index, category] of categories.entries()) {
    const at = `${pointer}/config/categories/${index}`;
    if (RESERVED_HANDLES.has(category.id) || ids.has(category.id)) {
      problems.push(
        error(
          `${at}/id`,
          `Category ${index + 1} shares its identity with another outcome. Remove it and add the category again.`,
        ),
      );
    }
    const name = category.name.trim().toLowerCase();
    if (names.has(name) || name === AI_CLASSIFY_NO_CATEGORY) {
      problems.push(
        error(
          `${at}/name`,
          `Two categories are called “${category.name}”; the model could not tell them apart.`,
        ),
      );
    }
    ids.add(category.id);
    names.add(name);
  }
  return problems;
}
