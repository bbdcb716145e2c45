/** Request and response schemas of the /workspace and /workspaces routes. */
import { BusinessHours } from '@parley/schemas';
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Uuid } from './common.js';

/** The longest workspace name, spaces around it left out: it has to fit the sidebar. */
export const WORKSPACE_NAME_MAX = 100;
/** How many workspaces one person may create: enough for real use, a cap on abuse. */
export const WORKSPACES_PER_CREATOR = 20;

/** A workspace's name as sent: the API trims it and then checks it is 1 to WORKSPACE_NAME_MAX characters. */
const WorkspaceName = Type.String({
  minLength: 1,
  maxLength: 200,
  description: `Spaces around it are left out; then 1 to ${WORKSPACE_NAME_MAX} characters`,
});

export const WorkspaceView = Type.Object({
  id: Uuid,
  name: Type.String(),
  retentionDays: Type.Union([Type.Integer(), Type.Null()]),
  hasSigningSecret: Type.Boolean({
    description: 'Whether http_request calls are signed (x-parley-signature)',
  }),
  /** When people answer hand-offs, in a time zone (null: always); outside them a hand-off says when. */
  businessHours: Nullable(BusinessHours),
});
export type WorkspaceView = Static<typeof WorkspaceView>;
export const UpdateWorkspaceBody = Type.Object(
  {
    name: Type.Optional(WorkspaceName),
    signingSecret: Type.Optional(Type.Union([Type.String({ minLength: 16, maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export const CreateWorkspaceBody = Type.Object({ name: WorkspaceName }, { additionalProperties: false });

/** The business hours to keep (null: always open). */
export const BusinessHoursBody = Type.Object(
  { businessHours: Nullable(BusinessHours) },
  { additionalProperties: false },
);
export type BusinessHoursBody = Static<typeof BusinessHoursBody>;
