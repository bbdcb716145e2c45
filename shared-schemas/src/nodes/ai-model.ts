import { Type } from '@sinclair/typebox';
import { error, type Problem } from '../validation/problem.js';
import type { GraphCheckContext } from './node-definition.js';

/** The workspace's AI provider a block calls (an id from the AI providers page). */
export const AiCredentialId = Type.String({
  minLength: 1,
  maxLength: 64,
  'x-message': 'Pick an AI provider.',
});

/** The model's name as its provider knows it (`gpt-4o-mini`, `claude-3-5-haiku-latest`, `llama3.2`). */
export const AiModelName = Type.String({ minLength: 1, maxLength: 200, 'x-message': 'Pick a model.' });

/** Extra instructions for the model, templated with the conversation's values. */
export const AiInstructions = Type.String({ maxLength: 8000 });

/** Where an AI block reads the text it works on; empty: the contact's last message. */
export const AiSource = Type.String({ maxLength: 8000 });

/** The settings form hints every AI block shares. */
export const AI_MODEL_UI = {
  credentialId: {
    'ui:widget': 'own',
    'ui:title': 'AI provider',
    'ui:help': 'Add providers and their keys on the AI providers page.',
  },
  model: { 'ui:widget': 'own', 'ui:title': 'Model' },
} as const;

/** The settings hints of a block's extra instructions (AI extract, AI route). */
export const AI_INSTRUCTIONS_UI = {
  'ui:widget': 'textarea',
  'ui:title': 'Extra instructions',
  'ui:help': 'Optional. {{variable}} values are filled in.',
} as const;

/** The templates of a block that reads text: its source and extra instructions, when set. */
export function readTemplates(config: { source?: string; instructions?: string }): {
  pointer: string;
  text: string;
}[] {
  return [
    ...(config.source === undefined ? [] : [{ pointer: '/source', text: config.source }]),
    ...(config.instructions === undefined ? [] : [{ pointer: '/instructions', text: config.instructions }]),
  ];
}

/**
 * A block whose provider is not in this workspace (removed, or the flow came from elsewhere) would
 * fail every call: an error that blocks publishing. Checked only where the caller knows the
 * workspace's providers.
 */
export function missingCredential(config: { credentialId: string }, ctx: GraphCheckContext): Problem[] {
  if (ctx.aiCredentialIds === undefined || ctx.aiCredentialIds.has(config.credentialId)) return [];
  return [
    error(
      `${ctx.pointer}/config/credentialId`,
      'This block’s AI provider is not set up in this workspace (it was removed, or the flow came from another workspace), so every call would fail. Pick a provider in the block’s settings, or add one on the AI providers page.',
    ),
  ];
}
