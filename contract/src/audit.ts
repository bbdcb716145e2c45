/** Request and response schemas of the audit log routes. */
import { Type } from '@sinclair/typebox';
import { CursorQuery, Page, Timestamp, Uuid } from './common.js';

export const AuditItem = Type.Object({
  id: Type.Integer(),
  userId: Type.Union([Uuid, Type.Null()]),
  userEmail: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  at: Timestamp,
});

export const AuditPage = Page(AuditItem);
export const AuditQuery = Type.Object({
  ...CursorQuery,
  entity: Type.Optional(Type.String({ maxLength: 50 })),
});
