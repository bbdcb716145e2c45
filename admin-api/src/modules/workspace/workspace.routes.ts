import {
  BusinessHoursBody,
  CreateWorkspaceBody,
  Membership,
  UpdateWorkspaceBody,
  WORKSPACES_PER_CREATOR,
  WorkspaceView,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { WorkspaceService } from './workspace.service.js';

export function workspaceRoutes(workspaces: WorkspaceService): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/workspaces',
      summary: 'Create a workspace: the caller becomes its admin',
      description: `Any signed-in person may create a workspace, member of another one or not; it starts with the sample draft flow, like the first one. A person may create at most ${WORKSPACES_PER_CREATOR} (409 workspace_limit beyond). Act in it with X-Workspace-Id; GET /me lists the caller's workspaces with their role in each.`,
      tag: 'workspace',
      access: 'signed_in',
      body: CreateWorkspaceBody,
      responses: {
        201: { description: 'Created; the caller is its admin', schema: Membership },
        409: {
          description: `The caller created ${WORKSPACES_PER_CREATOR} workspaces already (workspace_limit)`,
        },
      },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await workspaces.create(caller, body.name),
      }),
    }),
    route({
      method: 'get',
      path: '/workspace',
      summary: 'The current workspace and its settings',
      tag: 'workspace',
      access: 'viewer',
      responses: { 200: { description: 'The workspace', schema: WorkspaceView } },
      handler: async ({ caller }) => ({ status: 200, body: await workspaces.get(caller.workspaceId) }),
    }),
    route({
      method: 'patch',
      path: '/workspace',
      summary: 'Rename the workspace, or set the secret that signs http_request calls (null removes it)',
      tag: 'workspace',
      access: 'admin',
      body: UpdateWorkspaceBody,
      responses: { 200: { description: 'Saved', schema: WorkspaceView } },
      handler: async ({ caller, body }) => ({ status: 200, body: await workspaces.update(caller, body) }),
    }),
    route({
      method: 'put',
      path: '/workspace/business-hours',
      summary: 'Set when people answer hand-offs (null: always open)',
      description:
        'Days with opening stretches (from before to, none overlapping) in an IANA time zone, and what a contact whose hand-off starts outside them is told ({{opens_at}} reads when people are back). A day left out is closed; at least one day must have hours. Refused in words (400) otherwise. The runtimes read the hours for each hand-off.',
      tag: 'workspace',
      access: 'admin',
      body: BusinessHoursBody,
      responses: {
        200: { description: 'Saved', schema: WorkspaceView },
        400: { description: 'The hours cannot work: what is wrong, in words, with where' },
      },
      handler: async ({ caller, body }) => ({
        status: 200,
        body: await workspaces.setBusinessHours(caller, body.businessHours),
      }),
    }),
  ];
}
