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

export const IssueResetBody = Type.Object(
  {
    sendEmail: Type.Optional(
      Type.Boolean({
        description:
          'Also email the reset link to the person (only where mail is set up: GET /policy says emailEnabled)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A one-time password reset, shown once to the admin who made it: they pass it on. */
export const PasswordReset = Type.Object({
  code: Type.String({ description: 'Works once, until expiresAt; shown only in this answer' }),
  expiresAt: Timestamp,
  emailedTo: Type.Optional(Type.String({ description: 'The address the link was mailed to' })),
  emailError: Type.Optional(
    Type.String({
      description: 'Why the mail asked for was not sent; the reset works all the same, to pass on by hand',
    }),
  ),
});

export type Member = Static<typeof Member>;
export type PasswordReset = Static<typeof PasswordReset>;
export type IssueResetBody = Static<typeof IssueResetBody>;
export type UpdateMemberBody = Static<typeof UpdateMemberBody>;
