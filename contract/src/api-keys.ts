/** Request and response schemas of the /api-keys routes: a workspace's keys for scripts and integrations. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid } from './common.js';
import { ApiKeyRole } from './enums.js';

/** A key as lists show it: never the key itself, nor its hash. */
export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  role: ApiKeyRole,
  prefix: Type.String({
    description: 'The start of the key (`pk_` and 8 characters): not secret, tells keys apart',
  }),
  createdBy: Nullable(Type.String({ description: 'The email of the admin who made it' })),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
  state: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export const ApiKeyList = Type.Object({ items: Type.Array(ApiKey) });

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'What the key is for, e.g. "Nightly export"',
    }),
    role: Type.String({
      description: 'viewer (read and export) or editor (also build and publish flows); never admin',
    }),
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'Stops working after this many days' }),
    ),
    expiresAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

/** A new key: the only answer that ever holds the key itself. */
export const CreatedApiKey = Type.Object({
  key: Type.String({ description: 'Shown only in this answer: send it as `Authorization: Bearer <key>`' }),
  apiKey: ApiKey,
});

export type ApiKey = Static<typeof ApiKey>;
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;
export type CreatedApiKey = Static<typeof CreatedApiKey>;
