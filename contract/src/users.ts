/** Request and response schemas of the /users routes (members and the invitations they send). */
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';
import { Role } from './enums.js';

export const Member = Type.Object({ id: Uuid, email: Type.String(), role: Role, joinedAt: Timestamp });
export const MemberList = Type.Object({ items: Type.Array(Member) });
export const InviteBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Type.String({
      minLength: 10,
      maxLength: 1000,
      description: 'At least 10 characters; used only if the email has no account yet',
    }),
    role: Role,
  },
  { additionalProperties: false },
);

export const UpdateMemberBody = Type.Object({ role: Role }, { additionalProperties: false });

/** A one-time password reset, shown once to the admin who made it: they pass it on. */
export const PasswordReset = Type.Object({
  code: Type.String({ description: 'Works once, until expiresAt; shown only in this answer' }),
  expiresAt: Timestamp,
});

export type Member = Static<typeof Member>;
export type PasswordReset = Static<typeof PasswordReset>;
export type UpdateMemberBody = Static<typeof UpdateMemberBody>;
