/** Request and response schemas of the /workspace routes. */
import { Type } from '@sinclair/typebox';
import { Uuid } from './common.js';

export const WorkspaceView = Type.Object({
  id: Uuid,
  name: Type.String(),
  retentionDays: Type.Union([Type.Integer(), Type.Null()]),
  hasSigningSecret: Type.Boolean({
    description: 'Whether http_request calls are signed (x-parley-signature)',
  }),
});
export const UpdateWorkspaceBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    signingSecret: Type.Optional(Type.Union([Type.String({ minLength: 16, maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
);
