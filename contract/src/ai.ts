/** Request and response schemas of the /ai routes: the workspace's AI providers and their keys. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid } from './common.js';
import { AiProviderKind } from './enums.js';

const Name = Type.String({
  minLength: 1,
  maxLength: 100,
  description: 'What people call this provider in Parley, e.g. "OpenAI (shop account)"',
});
const ApiKey = Type.String({
  minLength: 1,
  maxLength: 1000,
  description: 'The provider’s API key: stored encrypted, never shown again',
});
const BaseUrl = Type.String({
  maxLength: 2000,
  pattern: '^https?://',
  description:
    'The API root: required for openai_compatible (e.g. http://localhost:11434/v1 for Ollama), optional for the others (a proxy)',
});
const Model = Type.String({ minLength: 1, maxLength: 200, description: 'A model name, e.g. gpt-4o-mini' });

/** A provider as lists show it: never the key, only whether one is set. */
export const AiCredential = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: AiProviderKind,
  baseUrl: Nullable(Type.String()),
  keySet: Type.Boolean({ description: 'Whether a key is stored (it is never returned)' }),
  defaultModel: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const AiCredentialList = Type.Object({ items: Type.Array(AiCredential) });

export const CreateAiCredentialBody = Type.Object(
  {
    name: Name,
    kind: AiProviderKind,
    apiKey: Type.Optional(ApiKey),
    baseUrl: Type.Optional(BaseUrl),
    defaultModel: Type.Optional(Model),
  },
  { additionalProperties: false },
);

/**
 * What changes; a field left out stays. The key is replace-only: send a new one to replace it, or
 * `removeKey` for a server that needs none; it is never read back.
 */
export const UpdateAiCredentialBody = Type.Object(
  {
    name: Type.Optional(Name),
    apiKey: Type.Optional(ApiKey),
    removeKey: Type.Optional(Type.Literal(true)),
    baseUrl: Type.Optional(Nullable(BaseUrl)),
    defaultModel: Type.Optional(Nullable(Model)),
  },
  { additionalProperties: false },
);

export const TestAiCredentialBody = Type.Object(
  { model: Type.Optional(Model) },
  { additionalProperties: false },
);

/** How a test call went, in words: a failed call is an answer too, not an error of the API. */
export const AiConnectionTest = Type.Object({
  ok: Type.Boolean(),
  message: Type.String({ description: 'What happened, for people: what worked, or what to do' }),
  model: Nullable(Type.String({ description: 'The model the test called' })),
  code: Nullable(
    Type.String({ description: 'Why it failed: auth_refused, rate_limited, timeout, model_not_found, …' }),
  ),
  latencyMs: Type.Integer({ minimum: 0 }),
});

export const AiModelList = Type.Object({
  models: Type.Array(Type.String()),
  source: Type.Union([Type.Literal('provider'), Type.Literal('known')], {
    description: 'provider: what the provider lists for this key; known: Parley’s list of common models',
  }),
  problem: Nullable(
    Type.String({
      description: 'Why the provider’s own list could not be read (then the known list is shown)',
    }),
  ),
});

export type AiCredential = Static<typeof AiCredential>;
export type CreateAiCredentialBody = Static<typeof CreateAiCredentialBody>;
export type UpdateAiCredentialBody = Static<typeof UpdateAiCredentialBody>;
export type TestAiCredentialBody = Static<typeof TestAiCredentialBody>;
export type AiConnectionTest = Static<typeof AiConnectionTest>;
export type AiModelList = Static<typeof AiModelList>;
