import {
  IdParams,
  InviteBody,
  IssueResetBody,
  Member,
  MemberList,
  PasswordReset,
  SentInvitation,
  SentInvitationList,
  UpdateMemberBody,
} from '@parley/contract';
import type { Request } from 'express';
import { type RouteDefinition, route } from '../../http/route.js';
import { resetPageUrl } from '../auth/reset-page-url.js';
import type { UsersService } from './users.service.js';

/** Where the mailed link points: PARLEY_PUBLIC_URL, else the address the admin's request came to. */
const linkBase = (publicUrl: string | undefined, request: Request) =>
  resetPageUrl(publicUrl ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`);

export function userRoutes(users: UsersService, publicUrl: string | undefined): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/users',
      summary: 'Members of the workspace and their roles',
      tag: 'users',
      access: 'admin',
      responses: { 200: { description: 'Members', schema: MemberList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await users.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/users',
      summary: 'Invite a person to the workspace with a role',
      description:
        'Creates a pending invitation; the person joins when they sign in and accept it. The answer is ' +
        'the same whether or not the email already has an account. A new account is created with this ' +
        'password; an existing account keeps its own password.',
      tag: 'users',
      access: 'admin',
      body: InviteBody,
      responses: {
        201: { description: 'Invited', schema: SentInvitation },
        409: { description: 'Already a member, or already invited' },
      },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await users.invite(caller, body.email, body.password, body.role),
      }),
    }),
    route({
      method: 'patch',
      path: '/users/{id}',
      summary: 'Change a member’s role',
      description:
        'Takes effect on the member’s next request, on every API process. The workspace always keeps ' +
        'an admin: the only admin cannot be given another role.',
      tag: 'users',
      access: 'admin',
      params: IdParams,
      body: UpdateMemberBody,
      responses: {
        200: { description: 'The member with the new role', schema: Member },
        404: { description: 'No such member' },
        409: { description: 'The only admin of the workspace' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await users.changeRole(caller, params.id, body.role),
      }),
    }),
    route({
      method: 'delete',
      path: '/users/{id}',
      summary: 'Remove a person from the workspace',
      description:
        'Their next request to this workspace is refused, on every API process. Their account, their ' +
        'other workspaces and their past actions in the audit log stay. The only admin cannot be removed.',
      tag: 'users',
      access: 'admin',
      params: IdParams,
      responses: {
        204: { description: 'Removed' },
        404: { description: 'No such member' },
        409: { description: 'The only admin of the workspace' },
      },
      handler: async ({ caller, params }) => {
        await users.remove(caller, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/users/{id}/password-reset',
      summary: 'Make a one-time password reset for a member, to pass on to them',
      description:
        'The code is shown only in this answer; it works once, for 24 hours, and replaces any earlier ' +
        'reset. It is redeemed through the reset link (`/reset-password#code=…`) or typed as a one-time ' +
        'password at sign-in. With `sendEmail`, the link is also mailed to the person (SMTP must be set ' +
        'up); a failed mail still makes the reset and says why in `emailError`. Only for a person whose ' +
        'every workspace the caller runs (a password opens all of them), and not for the caller, who ' +
        'changes their own password instead.',
      tag: 'users',
      access: 'admin',
      secretAnswer: true,
      params: IdParams,
      body: IssueResetBody,
      responses: {
        201: { description: 'The reset, shown once', schema: PasswordReset },
        404: { description: 'No such member' },
        409: {
          description:
            'The caller themselves, a person who also belongs elsewhere, or email asked for where none is set up',
        },
      },
      handler: async ({ caller, params, body, request }) => ({
        status: 201,
        body: await users.issuePasswordReset(caller, params.id, {
          send: body.sendEmail === true,
          linkBase: linkBase(publicUrl, request),
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/users/invitations',
      summary: 'Invitations to the workspace not answered yet',
      tag: 'users',
      access: 'admin',
      responses: {
        200: {
          description: 'Pending invitations',
          schema: SentInvitationList,
        },
      },
      handler: async ({ caller }) => ({ status: 200, body: { items: await users.invitationsOf(caller) } }),
    }),
    route({
      method: 'delete',
      path: '/users/invitations/{id}',
      summary: 'Revoke a pending invitation',
      tag: 'users',
      access: 'admin',
      params: IdParams,
      responses: { 204: { description: 'Revoked' }, 404: { description: 'No such pending invitation' } },
      handler: async ({ caller, params }) => {
        await users.revoke(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
