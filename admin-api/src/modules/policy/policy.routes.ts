import { DeploymentPolicy } from '@parley/contract';
import type { ApiConfig } from '../../config.js';
import { type RouteDefinition, route } from '../../http/route.js';

/** What this deployment allows, so the editor warns only about what will really be refused. */
export function policyRoutes(config: Pick<ApiConfig, 'allowPrivateHttp' | 'mail'>): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/policy',
      summary:
        'What this deployment allows (private network addresses for HTTP requests) and whether it sends mail',
      tag: 'policy',
      access: 'viewer',
      responses: { 200: { description: 'The deployment’s policy', schema: DeploymentPolicy } },
      handler: async () => ({
        status: 200,
        body: {
          privateHttpAllowed: config.allowPrivateHttp === true,
          emailEnabled: config.mail !== undefined,
        },
      }),
    }),
  ];
}
