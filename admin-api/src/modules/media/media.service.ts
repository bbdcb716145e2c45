import { Gone, NotFound } from '@parley/contract';
import { parseMediaKey, type StoredMedia } from '@parley/db';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { MediaLinks } from './media-links.js';

export const DEFAULT_MEDIA_LINK_TTL_MS = 7 * 24 * 3600_000;

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
    if (parseMediaKey(key)?.workspaceId !== caller.workspaceId) throw new NotFound('File');
    return { key, media: await this.read(key) };
  }

  /** A file through a signed link: no session, but a valid signature and a future expiry. */
  async openSigned(
    key: string,
    expires: number,
    signature: string,
  ): Promise<{ key: string; media: StoredMedia }> {
    if (parseMediaKey(key) === null || !this.links.verify(key, expires, signature))
      throw new NotFound('File');
    if (expires * 1000 < Date.now())
      throw new Gone('This download link has expired. Export the responses again to get a fresh link.');
    return { key, media: await this.read(key) };
  }

  /** The absolute URL of a signed link to `key`, valid for the configured lifetime from now. */
  signedUrl(origin: string, key: string): string {
    const { expires, signature } = this.links.sign(key, Date.now() + this.linkTtlMs);
    return `${origin}/api/v1/media/signed/${key}?expires=${expires}&signature=${signature}`;
  }

  private async read(key: string): Promise<StoredMedia> {
    const media = await this.api.media.get(key);
    if (media === null) throw new NotFound('File');
    return media;
  }
}
