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

/**
 * A provider as the flow editor picks it: what editors (not only admins) may see, so an AI block
 * can name its provider and model. No key, no base URL.
 */
export const AiProvider = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: AiProviderKind,
  defaultModel: Nullable(Type.String()),
});
export const AiProviderList = Type.Object({ items: Type.Array(AiProvider) });

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
export type AiProvider = Static<typeof AiProvider>;
export type CreateAiCredentialBody = Static<typeof CreateAiCredentialBody>;
export type UpdateAiCredentialBody = Static<typeof UpdateAiCredentialBody>;
export type TestAiCredentialBody = Static<typeof TestAiCredentialBody>;
export type AiConnectionTest = Static<typeof AiConnectionTest>;
export type AiModelList = Static<typeof AiModelList>;

// ---------------------------------------------------------------------------------------------
// Usage and the monthly token quota: GET /ai/usage, PUT /ai/quota.

/** The quota's share at which the page warns that AI blocks will soon leave by their failure path. */
export const AI_QUOTA_WARNING_SHARE = 0.8;
/** The largest quota accepted: far above any month's use, and within the column's range. */
export const AI_QUOTA_MAX_TOKENS = 1_000_000_000_000;

export const AiUsageQuery = Type.Object(
  {
    month: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$',
        'x-message': 'Must be a month written as year-month, e.g. 2026-12.',
        description: 'The calendar month (UTC) as YYYY-MM, e.g. 2026-12; this month when left out',
      }),
    ),
  },
  { additionalProperties: false },
);

const usageCounts = {
  calls: Type.Integer({ minimum: 0, description: 'Model calls, failed ones included' }),
  failedCalls: Type.Integer({ minimum: 0, description: 'Calls that ended in an error' }),
  inputTokens: Type.Integer({ minimum: 0 }),
  outputTokens: Type.Integer({ minimum: 0 }),
  costUsd: Type.Number({
    minimum: 0,
    description: 'Estimated cost in US dollars of the calls whose model has a known price',
  }),
  unpricedCalls: Type.Integer({
    minimum: 0,
    description: 'Calls that used tokens on a model without a known price: left out of costUsd',
  }),
};
export const AiUsageCounts = Type.Object(usageCounts);
export const AiUsageByFlow = Type.Object({
  flowId: Nullable(Uuid),
  flowName: Nullable(
    Type.String({ description: 'Null: calls made outside a flow, or by a flow since deleted for good' }),
  ),
  ...usageCounts,
});
export const AiUsageByModel = Type.Object({ kind: AiProviderKind, model: Type.String(), ...usageCounts });
export const AiUsageByDay = Type.Object({
  day: Type.String({ format: 'date', description: 'A UTC day, YYYY-MM-DD' }),
  ...usageCounts,
});

/** The quota against this month's use: the quota counts tokens in and out of every call, per UTC month. */
export const AiQuota = Type.Object({
  monthlyTokens: Nullable(Type.Integer({ minimum: 1, description: 'Null: no limit' })),
  usedTokens: Type.Integer({ minimum: 0, description: 'Tokens in and out used this UTC month' }),
  usedShare: Nullable(
    Type.Number({
      minimum: 0,
      description: 'usedTokens / monthlyTokens (above 1 when overrun); null: no limit',
    }),
  ),
  state: Type.Union(
    [Type.Literal('none'), Type.Literal('ok'), Type.Literal('warning'), Type.Literal('reached')],
    {
      description:
        'none: no quota; warning: 80% used; reached: AI blocks leave by their Failure path until the month ends or the quota is raised',
    },
  ),
  resetsAt: Timestamp,
});

export const AiUsage = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  from: Timestamp,
  to: Timestamp,
  pricesAsOf: Type.String({ description: 'The month (YYYY-MM) of the list prices the estimates use' }),
  totals: AiUsageCounts,
  byFlow: Type.Array(AiUsageByFlow, { description: 'Most tokens first' }),
  byModel: Type.Array(AiUsageByModel, { description: 'Most tokens first' }),
  byDay: Type.Array(AiUsageByDay, { description: 'Days with calls, oldest first' }),
  quota: AiQuota,
});

export const AiQuotaBody = Type.Object(
  {
    monthlyTokens: Nullable(
      Type.Integer({
        minimum: 1,
        maximum: AI_QUOTA_MAX_TOKENS,
        description: 'Tokens (in + out) the AI blocks may use per UTC month; null: no limit',
      }),
    ),
  },
  { additionalProperties: false },
);

export type AiUsageQuery = Static<typeof AiUsageQuery>;
export type AiUsageCounts = Static<typeof AiUsageCounts>;
export type AiUsageByFlow = Static<typeof AiUsageByFlow>;
export type AiUsageByModel = Static<typeof AiUsageByModel>;
export type AiUsageByDay = Static<typeof AiUsageByDay>;
export type AiQuota = Static<typeof AiQuota>;
export type AiUsage = Static<typeof AiUsage>;
export type AiQuotaBody = Static<typeof AiQuotaBody>;
