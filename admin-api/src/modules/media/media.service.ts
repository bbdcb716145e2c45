import { pipeline } from 'node:stream/promises';
import { downloadName, parseMediaKey, type StoredMedia } from '@parley/db';
import type { Response } from 'express';
import type { ApiContext } from '../../api-context.js';
import { gone, notFound } from '../../errors/domain-errors.js';
import type { Caller } from '../../http/route.js';
import { MediaLinks } from './media-links.js';

export const DEFAULT_MEDIA_LINK_TTL_MS = 7 * 24 * 3600_000;

/** Types a browser may show in place: pictures, sound and video that cannot run script. */
const INLINE_TYPES = new Set([
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

/** Received files for signed-in members of their workspace, and through signed export links. */
export class MediaService {
  private readonly links: MediaLinks;
  private readonly linkTtlMs: number;

  constructor(private readonly api: ApiContext) {
    this.links = new MediaLinks(api.config.jwtSecret);
    this.linkTtlMs = api.config.mediaLinkTtlMs ?? DEFAULT_MEDIA_LINK_TTL_MS;
  }

  /** A file of the caller's workspace; any other workspace's key answers 404, like a missing one. */
  async open(caller: Caller, key: string): Promise<{ key: string; media: StoredMedia }> {
    if (parseMediaKey(key)?.workspaceId !== caller.workspaceId) throw notFound('File');
    return { key, media: await this.read(key) };
  }

  /** A file through a signed link: no session, but a valid signature and a future expiry. */
  async openSigned(
    key: string,
    expires: number,
    signature: string,
  ): Promise<{ key: string; media: StoredMedia }> {
    if (parseMediaKey(key) === null || !this.links.verify(key, expires, signature)) throw notFound('File');
    if (expires * 1000 < Date.now())
      throw gone('This download link has expired. Export the responses again to get a fresh link.');
    return { key, media: await this.read(key) };
  }

  /** The absolute URL of a signed link to `key`, valid for the configured lifetime from now. */
  signedUrl(origin: string, key: string): string {
    const { expires, signature } = this.links.sign(key, Date.now() + this.linkTtlMs);
    return `${origin}/api/v1/media/signed/${key}?expires=${expires}&signature=${signature}`;
  }

  private async read(key: string): Promise<StoredMedia> {
    const media = await this.api.media.get(key);
    if (media === null) throw notFound('File');
    return media;
  }

  /**
   * Streams a file. Only pictures, sound and video of safe types are shown in place; anything else
   * (HTML, SVG, PDF…) is a download, and nosniff plus a sandboxing CSP keep a browser from running it.
   */
  async send(response: Response, key: string, media: StoredMedia): Promise<void> {
    const type = media.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
    const inline = INLINE_TYPES.has(type);
    const name = downloadName(key);
    response.status(200);
    response.setHeader('content-type', inline ? type : 'application/octet-stream');
    response.setHeader('content-length', String(media.size));
    response.setHeader('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-security-policy', "default-src 'none'; sandbox");
    response.setHeader('cache-control', 'private, max-age=300');
    try {
      await pipeline(media.body, response);
    } catch (error) {
      // The client went away or the store failed mid-file: the response is cut, nothing else to do.
      this.api.logger.warn({ err: error }, 'a media download was interrupted');
    }
  }
}
