import { contactMediaPrefix, type MediaStore, mediaKeyOfUrl, type Queryable } from '@parley/db';
import type { Logger } from 'pino';
import type { RetentionRepository } from './retention.repository.js';

/** The stored files that go with the rows a purge deletes. */
export interface MediaToDelete {
  keys: string[];
  /** A contact's whole folder (erasure), which also catches files no message names. */
  prefixes: string[];
}

const keysOf = (urls: (string | null)[]) =>
  urls.flatMap((url) => {
    const key = mediaKeyOfUrl(url);
    return key === null ? [] : [key];
  });

/**
 * Received files of erased contacts and expired conversations. They are collected in the purge's
 * transaction (from the messages that carried them) and deleted from the store once it committed.
 */
export class MediaCleanup {
  constructor(
    private readonly store: MediaStore,
    private readonly repository: RetentionRepository,
    private readonly logger: Logger,
  ) {}

  async ofContact(db: Queryable, workspaceId: string, contact: string): Promise<MediaToDelete> {
    const urls = await this.repository.mediaUrlsOfContact(db, workspaceId, contact);
    return { keys: keysOf(urls), prefixes: [contactMediaPrefix(workspaceId, contact)] };
  }

  /** The files of what `RetentionRepository.purgeExpired` deletes. */
  async ofExpired(db: Queryable, workspaceId: string, days: number): Promise<MediaToDelete> {
    return { keys: keysOf(await this.repository.mediaUrlsOfExpired(db, workspaceId, days)), prefixes: [] };
  }

  /** Deletes the files; returns false (and logs why) when the store failed. */
  async delete(media: MediaToDelete): Promise<boolean> {
    try {
      await this.store.delete(media.keys);
      for (const prefix of media.prefixes) await this.store.deletePrefix(prefix);
      return true;
    } catch (error) {
      this.logger.error({ err: error, files: media.keys.length }, 'could not delete purged media files');
      return false;
    }
  }
}
