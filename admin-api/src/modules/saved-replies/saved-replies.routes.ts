import { IdParams, SavedReply, SavedReplyBody, SavedReplyList } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { SavedRepliesService } from './saved-replies.service.js';

export function savedReplyRoutes(savedReplies: SavedRepliesService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/saved-replies',
      summary: 'The workspace’s saved replies, by title',
      tag: 'inbox',
      access: 'agent',
      responses: { 200: { description: 'Saved replies', schema: SavedReplyList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await savedReplies.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/saved-replies',
      summary: 'Save a reply for the whole team',
      tag: 'inbox',
      access: 'agent',
      body: SavedReplyBody,
      responses: {
        201: { description: 'Saved', schema: SavedReply },
        409: { description: 'A saved reply already has this title' },
      },
      handler: async ({ caller, body }) => ({ status: 201, body: await savedReplies.create(caller, body) }),
    }),
    route({
      method: 'put',
      path: '/saved-replies/{id}',
      summary: 'Change a saved reply’s title or text',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: SavedReplyBody,
      responses: {
        200: { description: 'Changed', schema: SavedReply },
        409: { description: 'Another saved reply already has this title' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await savedReplies.update(caller, params.id, body),
      }),
    }),
    route({
      method: 'delete',
      path: '/saved-replies/{id}',
      summary: 'Delete a saved reply',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ caller, params }) => {
        await savedReplies.remove(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
