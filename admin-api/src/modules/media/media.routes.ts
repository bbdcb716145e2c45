import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import type { MediaService } from './media.service.js';

const KeyParams = Type.Object({
  workspaceId: Type.String({ format: 'uuid' }),
  folder: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  file: Type.String({ minLength: 38, maxLength: 160, pattern: '^[A-Za-z0-9._-]+$' }),
});
const SignedQuery = Type.Object({
  expires: Type.Integer({ minimum: 0 }),
  signature: Type.String({ minLength: 1, maxLength: 100 }),
});
const FILE_DESCRIPTION =
  'Pictures, sound and video of common types are served inline; every other type as an attachment (application/octet-stream), always with X-Content-Type-Options: nosniff.';

const keyOf = (params: { workspaceId: string; folder: string; file: string }) =>
  `${params.workspaceId}/${params.folder}/${params.file}`;

export function mediaRoutes(media: MediaService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/media/{workspaceId}/{folder}/{file}',
      summary: 'Download a file a contact sent (the key of a parley-media:// answer)',
      description: FILE_DESCRIPTION,
      tag: 'media',
      access: 'viewer',
      params: KeyParams,
      responses: {
        200: { description: 'The file', contentType: 'application/octet-stream' },
        404: { description: 'No such file in this workspace' },
      },
      handler: async ({ caller, params, response }) => {
        const { key, media: file } = await media.open(caller, keyOf(params));
        await media.send(response, key, file);
        return 'streamed';
      },
    }),
    route({
      method: 'get',
      path: '/media/signed/{workspaceId}/{folder}/{file}',
      summary: 'Download a file through a signed link from an export (no session needed)',
      description: `Links in exports work for PARLEY_MEDIA_LINK_DAYS (7 days by default). ${FILE_DESCRIPTION}`,
      tag: 'media',
      access: 'public',
      params: KeyParams,
      query: SignedQuery,
      responses: {
        200: { description: 'The file', contentType: 'application/octet-stream' },
        404: { description: 'No such file, or the signature does not match' },
        410: { description: 'The link has expired' },
      },
      handler: async ({ params, query, response }) => {
        const { key, media: file } = await media.openSigned(keyOf(params), query.expires, query.signature);
        await media.send(response, key, file);
        return 'streamed';
      },
    }),
  ];
}
