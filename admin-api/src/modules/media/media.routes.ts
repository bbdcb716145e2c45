import { pipeline } from 'node:stream/promises';
import { MediaKeyParams, SignedMediaQuery } from '@parley/contract';
import { downloadName, type StoredMedia } from '@parley/db';
import type { Response } from 'express';
import { type RouteDefinition, route } from '../../http/route.js';
import type { MediaService } from './media.service.js';

/** Types a browser may show in place: pictures, sound and video that cannot run script. */
const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'video/mp4',
  'video/3gpp',
]);

const FILE_DESCRIPTION =
  'Pictures, sound and video of common types are served inline; every other type as an attachment (application/octet-stream), always with X-Content-Type-Options: nosniff.';

const keyOf = (params: { workspaceId: string; folder: string; file: string }) =>
  `${params.workspaceId}/${params.folder}/${params.file}`;

/**
 * Streams a file. Only pictures, sound and video of safe types are shown in place; anything else
 * (HTML, SVG, PDF…) is a download, and nosniff plus a sandboxing CSP keep a browser from running it.
 * A client that goes away or a store that fails mid-file cuts the response (the error middleware logs it).
 */
async function sendFile(response: Response, key: string, media: StoredMedia): Promise<void> {
  const type = media.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const inline = INLINE_TYPES.has(type);
  response.status(200).set({
    'content-type': inline ? type : 'application/octet-stream',
    'content-length': String(media.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${downloadName(key)}"`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=300',
  });
  await pipeline(media.body, response);
}

export function mediaRoutes(media: MediaService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/media/{workspaceId}/{folder}/{file}',
      summary: 'Download a file a contact sent (the key of a parley-media:// answer)',
      description: FILE_DESCRIPTION,
      tag: 'media',
      access: 'viewer',
      params: MediaKeyParams,
      responses: {
        200: { description: 'The file', contentType: 'application/octet-stream' },
        404: { description: 'No such file in this workspace' },
      },
      handler: async ({ caller, params, response }) => {
        const { key, media: file } = await media.open(caller, keyOf(params));
        await sendFile(response, key, file);
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
      params: MediaKeyParams,
      query: SignedMediaQuery,
      responses: {
        200: { description: 'The file', contentType: 'application/octet-stream' },
        404: { description: 'No such file, or the signature does not match' },
        410: { description: 'The link has expired' },
      },
      handler: async ({ params, query, response }) => {
        const { key, media: file } = await media.openSigned(keyOf(params), query.expires, query.signature);
        await sendFile(response, key, file);
        return 'streamed';
      },
    }),
  ];
}
