import { ApiKeyList, CreateApiKeyBody, CreatedApiKey, IdParams } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { ApiKeysService } from './api-keys.service.js';

export function apiKeyRoutes(keys: ApiKeysService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api-keys',
      summary: 'The workspace’s API keys, with their last use',
      description: 'Never the keys themselves: each is shown once, when it is made.',
      tag: 'api-keys',
      access: 'admin',
      responses: { 200: { description: 'Keys, newest first (revoked ones too)', schema: ApiKeyList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await keys.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/api-keys',
      summary: 'Make an API key for a script or an integration',
      description:
        'The answer is the only time the key is shown: Parley keeps only a hash. Send it as ' +
        '`Authorization: Bearer <key>`. A key acts in this workspace with its role (viewer or editor, ' +
        'never admin), on every route that role allows except people’s own: it never manages people ' +
        'or keys, and is never refused for wrong passwords. What it does is recorded in the audit log ' +
        'under the admin who made it. Without an expiry it works until revoked.',
      tag: 'api-keys',
      access: 'admin',
      secretAnswer: true,
      body: CreateApiKeyBody,
      responses: { 201: { description: 'The key, shown once', schema: CreatedApiKey } },
      handler: async ({ caller, body }) => ({ status: 201, body: await keys.create(caller, body) }),
    }),
    route({
      method: 'delete',
      path: '/api-keys/{id}',
      summary: 'Revoke an API key: it stops working at once, on every API process',
      tag: 'api-keys',
      access: 'admin',
      params: IdParams,
      responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key' } },
      handler: async ({ caller, params }) => {
        await keys.revoke(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
