import { NotFound, UpdateWorkspaceBody, WorkspaceView } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import { type RouteDefinition, route } from '../../http/route.js';
import type { SigningSecrets } from './signing-secrets.js';
import type { WorkspaceRepository } from './workspace.repository.js';

export function workspaceRoutes(
  api: ApiContext,
  workspaces: WorkspaceRepository,
  signingSecrets: SigningSecrets,
): RouteDefinition[] {
  const load = async (workspaceId: string) => {
    const workspace = await workspaces.get(api.db, workspaceId);
    if (workspace === null) throw new NotFound('Workspace');
    return workspace;
  };
  return [
    route({
      method: 'get',
      path: '/workspace',
      summary: 'The current workspace and its settings',
      tag: 'workspace',
      access: 'viewer',
      responses: { 200: { description: 'The workspace', schema: WorkspaceView } },
      handler: async ({ caller }) => ({ status: 200, body: await load(caller.workspaceId) }),
    }),
    route({
      method: 'patch',
      path: '/workspace',
      summary: 'Rename the workspace, or set the secret that signs http_request calls (null removes it)',
      tag: 'workspace',
      access: 'admin',
      body: UpdateWorkspaceBody,
      responses: { 200: { description: 'Saved', schema: WorkspaceView } },
      handler: async ({ caller, body }) => {
        await api.db.transaction(async (tx) => {
          const before = await workspaces.get(tx, caller.workspaceId);
          await workspaces.update(tx, caller.workspaceId, {
            ...body,
            ...(typeof body.signingSecret === 'string'
              ? { signingSecret: signingSecrets.seal(caller.workspaceId, body.signingSecret) }
              : {}),
          });
          await api.audit.record(tx, {
            workspaceId: caller.workspaceId,
            userId: caller.userId,
            action: 'workspace.update',
            entity: 'workspace',
            entityId: caller.workspaceId,
            // The secret itself never goes to the audit log.
            before: { name: before?.name, hasSigningSecret: before?.hasSigningSecret },
            after: {
              name: body.name ?? before?.name,
              hasSigningSecret:
                body.signingSecret === undefined ? before?.hasSigningSecret : body.signingSecret !== null,
            },
          });
        });
        return { status: 200, body: await load(caller.workspaceId) };
      },
    }),
  ];
}
