import {
  AiConnectionTest,
  AiCredential,
  AiCredentialList,
  AiModelList,
  AiProviderList,
  CreateAiCredentialBody,
  IdParams,
  TestAiCredentialBody,
  UpdateAiCredentialBody,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { AiCredentialsService } from './ai-credentials.service.js';

export function aiCredentialRoutes(credentials: AiCredentialsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/ai/credentials',
      summary: 'The workspace’s AI providers',
      description: 'Never their keys: `keySet` says whether one is stored.',
      tag: 'ai',
      access: 'admin',
      responses: { 200: { description: 'Providers, by name', schema: AiCredentialList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await credentials.list(caller) } }),
    }),
    route({
      method: 'get',
      path: '/ai/providers',
      summary: 'The workspace’s AI providers, for picking one in an AI block',
      description: 'Editors see each provider’s name, kind and default model; never a key or an address.',
      tag: 'ai',
      access: 'editor',
      responses: { 200: { description: 'Providers, by name', schema: AiProviderList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await credentials.providers(caller) } }),
    }),
    route({
      method: 'get',
      path: '/ai/providers/{id}/models',
      summary: 'The models an AI provider offers, for picking one in an AI block',
      description:
        'As `GET /ai/credentials/{id}/models`, for editors: the provider’s own list, or Parley’s list of common models with `problem` saying why.',
      tag: 'ai',
      access: 'editor',
      params: IdParams,
      responses: {
        200: { description: 'Model names', schema: AiModelList },
        404: { description: 'No such provider' },
      },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await credentials.models(caller, params.id),
      }),
    }),
    route({
      method: 'post',
      path: '/ai/credentials',
      summary: 'Add an AI provider: OpenAI, Anthropic, Google or an OpenAI-compatible server',
      description:
        'The key is stored encrypted and never returned. A base URL is required for openai_compatible; ' +
        'a private or local one is refused unless the deployment allows private addresses.',
      tag: 'ai',
      access: 'admin',
      body: CreateAiCredentialBody,
      responses: {
        201: { description: 'The provider', schema: AiCredential },
        409: { description: 'A provider of this workspace already has the name' },
      },
      handler: async ({ caller, body }) => ({ status: 201, body: await credentials.create(caller, body) }),
    }),
    route({
      method: 'put',
      path: '/ai/credentials/{id}',
      summary: 'Change an AI provider’s name, base URL, default model or key',
      description: 'A field left out stays. The key is replace-only: send a new one, or `removeKey: true`.',
      tag: 'ai',
      access: 'admin',
      params: IdParams,
      body: UpdateAiCredentialBody,
      responses: {
        200: { description: 'The provider', schema: AiCredential },
        404: { description: 'No such provider' },
        409: { description: 'Another provider already has the name' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await credentials.update(caller, params.id, body),
      }),
    }),
    route({
      method: 'delete',
      path: '/ai/credentials/{id}',
      summary: 'Remove an AI provider and its key',
      tag: 'ai',
      access: 'admin',
      params: IdParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'No such provider' } },
      handler: async ({ caller, params }) => {
        await credentials.remove(caller, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/ai/credentials/{id}/test',
      summary: 'Test an AI provider with a tiny real call',
      description:
        'Calls the chosen model (or the default model, or a small one) with a one-word prompt. A failed ' +
        'call is a 200 too: `ok` is false and `message` says what went wrong and what to do.',
      tag: 'ai',
      access: 'admin',
      params: IdParams,
      body: TestAiCredentialBody,
      responses: {
        200: { description: 'How the call went, in words', schema: AiConnectionTest },
        404: { description: 'No such provider' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await credentials.test(caller, params.id, body?.model),
      }),
    }),
    route({
      method: 'get',
      path: '/ai/credentials/{id}/models',
      summary: 'The models an AI provider offers this key',
      description:
        'The provider’s own list where it has one; otherwise Parley’s list of common models, with `problem` saying why.',
      tag: 'ai',
      access: 'admin',
      params: IdParams,
      responses: {
        200: { description: 'Model names', schema: AiModelList },
        404: { description: 'No such provider' },
      },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await credentials.models(caller, params.id),
      }),
    }),
  ];
}
