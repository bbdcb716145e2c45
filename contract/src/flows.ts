/** Request and response schemas of the /flows routes (drafts, versions, diffs). */
import type { FlowDocument } from '@parley/schemas';
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid, VersionNumber } from './common.js';
import { FlowVersionStatus } from './enums.js';

export const FlowDefinition = Type.Object(
  {},
  { additionalProperties: true, description: 'A Flow Document v1 (see docs/flow-format.md)' },
);
/** The stored draft: a Flow Document, though an imported one may still have problems. */
const StoredDefinition = Type.Unsafe<FlowDocument>(Type.Unknown());
export const Problem = Type.Object({ pointer: Type.String(), message: Type.String() });
export const FlowSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Timestamp,
  deletedAt: Type.Optional(Timestamp),
  /** How many numbers answer with the flow (listed flows; a published flow on none reaches no one). */
  servingNumbers: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const Flow = Type.Object({
  id: Uuid,
  name: Type.String(),
  draft: Type.Object({ definition: StoredDefinition, etag: Type.String() }),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const FlowVersion = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: FlowVersionStatus,
  checksum: Type.String(),
  createdBy: Type.Union([Uuid, Type.Null()]),
  createdAt: Timestamp,
  publishedAt: Type.Union([Timestamp, Type.Null()]),
});
export const VersionParams = Type.Object({ id: Uuid, v: VersionNumber });
export const DiffParams = Type.Object({ id: Uuid, a: VersionNumber, b: VersionNumber });
export const FlowChange = Type.Object({
  kind: Type.String(),
  entity: Type.String(),
  id: Type.Union([Type.String(), Type.Null()]),
  field: Type.Optional(Type.String()),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
  description: Type.String(),
});
export const CreateFlowBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), definition: Type.Optional(FlowDefinition) },
  { additionalProperties: false },
);
export const DraftBody = Type.Object({ definition: FlowDefinition }, { additionalProperties: false });
export const FlowSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  deleted: Type.Optional(
    Type.Boolean({ default: false, description: 'List deleted flows instead (they can be restored)' }),
  ),
});
export const DeleteFlowQuery = Type.Object({
  confirm: Type.Optional(
    Type.Boolean({
      default: false,
      description: 'Required when numbers answer with this flow: they go silent until given another',
    }),
  ),
});
/** A number that stops answering when its flow is deleted (the 409's `details.numbers`). */
export const SilencedNumber = Type.Object({
  id: Uuid,
  phone: Type.String(),
  label: Nullable(Type.String()),
  display: Type.String({ description: 'The number as people read it: "+34 612 34 56 78 (Front desk)"' }),
});
export const FlowList = Type.Object({ items: Type.Array(FlowSummary) });
export const ImportedFlow = Type.Composite([Flow, Type.Object({ warnings: Type.Array(Problem) })]);
export const SavedDraft = Type.Object({ etag: Type.String() });
export const FlowValidation = Type.Object({ errors: Type.Array(Problem), warnings: Type.Array(Problem) });
export const Published = Type.Object({ version: Type.Integer() });
export const FlowVersionList = Type.Object({ items: Type.Array(FlowVersion) });
export const FlowVersionDetail = Type.Composite([FlowVersion, Type.Object({ definition: StoredDefinition })]);
export const FlowDiff = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  changes: Type.Array(FlowChange),
});

export type FlowSummary = Static<typeof FlowSummary>;
export type Flow = Static<typeof Flow>;
export type FlowVersion = Static<typeof FlowVersion>;
export type Problem = Static<typeof Problem>;
export type ImportedFlow = Static<typeof ImportedFlow>;
export type SavedDraft = Static<typeof SavedDraft>;
export type Published = Static<typeof Published>;
export type FlowVersionDetail = Static<typeof FlowVersionDetail>;
export type SilencedNumber = Static<typeof SilencedNumber>;
export type FlowValidation = Static<typeof FlowValidation>;
