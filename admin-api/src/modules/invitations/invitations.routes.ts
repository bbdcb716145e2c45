import { IdParams, JoinedWorkspace, ReceivedInvitationList } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { InvitationsService } from './invitations.service.js';

/** The invited person's routes: any signed-in user, whether or not they belong to a workspace yet. */
export function invitationRoutes(invitations: InvitationsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/invitations',
      summary: 'Open invitations to workspaces addressed to the signed-in user',
      tag: 'invitations',
      access: 'signed_in',
      responses: {
        200: { description: 'Invitations', schema: ReceivedInvitationList },
      },
      handler: async ({ caller }) => ({ status: 200, body: { items: await invitations.mine(caller) } }),
    }),
    route({
      method: 'post',
      path: '/invitations/{id}/accept',
      summary: 'Accept an invitation: join the workspace with the invited role',
      tag: 'invitations',
      access: 'signed_in',
      params: IdParams,
      responses: {
        200: { description: 'Joined', schema: JoinedWorkspace },
        404: { description: 'No such open invitation for this user' },
      },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await invitations.accept(caller, params.id),
      }),
    }),
    route({
      method: 'post',
      path: '/invitations/{id}/decline',
      summary: 'Decline an invitation',
      tag: 'invitations',
      access: 'signed_in',
      params: IdParams,
      responses: {
        204: { description: 'Declined' },
        404: { description: 'No such open invitation for this user' },
      },
      handler: async ({ caller, params }) => {
        await invitations.decline(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
