/** Request and response schemas of sign-in, sign-out and /me. */
import { type Static, Type } from '@sinclair/typebox';
import { Uuid } from './common.js';
import { Role } from './enums.js';

export const Membership = Type.Object({ workspaceId: Uuid, workspaceName: Type.String(), role: Role });
export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  workspaces: Type.Array(Membership),
  passwordChangeRequired: Type.Optional(
    Type.Boolean({
      description:
        'Signed in with a one-time password: choose a new password (POST /auth/password, no current password needed) before going on',
    }),
  ),
});
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: 'Required, except in a session opened with a one-time password',
      }),
    ),
    newPassword: Type.String({ minLength: 10, maxLength: 1000, description: 'At least 10 characters' }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;
export const RedeemResetBody = Type.Object(
  {
    code: Type.String({ minLength: 20, maxLength: 200 }),
    newPassword: Type.String({ minLength: 10, maxLength: 1000, description: 'At least 10 characters' }),
  },
  { additionalProperties: false },
);
export type RedeemResetBody = Static<typeof RedeemResetBody>;
export const LoginResult = Type.Object({ token: Type.String(), user: User });
/** The signed-in user, with the workspace they act in and their role there. */
export const Me = Type.Composite([User, Type.Object({ workspaceId: Uuid, role: Role })]);

export type Membership = Static<typeof Membership>;
export type User = Static<typeof User>;
export type LoginResult = Static<typeof LoginResult>;
export type Me = Static<typeof Me>;
