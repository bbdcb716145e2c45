import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';
import { Role } from './enums.js';

/**
 * An invitation as the inviting admin sees it: the same whether or not the email already has an
 * account, and nothing about the person (no user id, no other workspaces) until they accept.
 */
export const SentInvitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: Role,
  invitedAt: Timestamp,
  expiresAt: Timestamp,
});
export type SentInvitation = Static<typeof SentInvitation>;
export const SentInvitationList = Type.Object({ items: Type.Array(SentInvitation) });

/** An invitation as the invited person sees it. */
export const ReceivedInvitation = Type.Object({
  id: Uuid,
  workspaceName: Type.String(),
  role: Role,
  /** The email of the admin who invited them (null once that admin's account is gone). */
  invitedBy: Type.Union([Type.String(), Type.Null()]),
  invitedAt: Timestamp,
  expiresAt: Timestamp,
});
export type ReceivedInvitation = Static<typeof ReceivedInvitation>;
export const ReceivedInvitationList = Type.Object({ items: Type.Array(ReceivedInvitation) });

/** The workspace joined by accepting. */
export const JoinedWorkspace = Type.Object({ workspaceId: Uuid, workspaceName: Type.String(), role: Role });
export type JoinedWorkspace = Static<typeof JoinedWorkspace>;
