import { ChangePasswordBody, LoginBody, LoginResult, Me, RedeemResetBody } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import { type RouteDefinition, route } from '../../http/route.js';

export function authRoutes(api: ApiContext): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password',
      description:
        'After a wrong password, that email from that client waits 1 s before its next check, then 2 s, 4 s … ' +
        'up to 15 minutes; a success starts afresh. A wrong password, an unknown email and an attempt made ' +
        'too soon answer the same 401, with `Retry-After`. Each client (address) has a cap on sign-in ' +
        'attempts per minute across all emails (429).',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'Signed in', schema: LoginResult },
        401: {
          description: 'Wrong email or password, or too soon after a wrong one (`Retry-After` says when)',
        },
        429: { description: 'Too many sign-in attempts from this client' },
      },
      handler: async ({ body, ip }) => ({
        status: 200,
        body: await api.auth.login(body.email, body.password, ip),
      }),
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: the token stops working at once',
      tag: 'auth',
      access: 'viewer',
      responses: { 204: { description: 'Signed out' } },
      handler: async ({ caller }) => {
        await api.auth.logout(caller);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/auth/password-reset',
      summary: 'Set a new password with a reset code an admin handed out',
      description:
        'The code works once, until it expires (24 hours), and only if no newer reset replaced it. ' +
        'Every session of the account ends: the person signs in with the new password.',
      tag: 'auth',
      access: 'public',
      body: RedeemResetBody,
      responses: {
        204: { description: 'The new password is set' },
        400: { description: 'The code was used, replaced or expired' },
        429: { description: 'Too many wrong codes from this client: wait and try again' },
      },
      handler: async ({ body, ip }) => {
        await api.auth.redeemPasswordReset(body.code, body.newPassword, ip);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout-everywhere',
      summary: 'Sign out on every device: all of the caller’s tokens stop working at once',
      tag: 'auth',
      access: 'signed_in',
      responses: { 204: { description: 'Signed out everywhere' } },
      handler: async ({ caller }) => {
        await api.auth.signOutEverywhere(caller);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/auth/password',
      summary: 'Change your own password',
      description:
        'Checks the current password (wrong ones are throttled like signing in) and ends the caller’s ' +
        'other sessions; this one stays signed in.',
      tag: 'auth',
      access: 'signed_in',
      body: ChangePasswordBody,
      responses: {
        204: { description: 'Changed' },
        400: { description: 'The current password is not right' },
        409: { description: 'The password is managed by Supabase Auth' },
        429: { description: 'Too many wrong passwords (`Retry-After` says when to try again)' },
      },
      handler: async ({ caller, body, ip }) => {
        await api.auth.changePassword(caller, body.currentPassword, body.newPassword, ip);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user, their workspaces and role in the current one',
      tag: 'auth',
      access: 'viewer',
      responses: {
        200: {
          description: 'The caller',
          schema: Me,
        },
      },
      handler: async ({ caller }) => ({ status: 200, body: await api.auth.me(caller) }),
    }),
  ];
}
