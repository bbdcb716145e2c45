import { contactMediaPrefix, type MediaStore, mediaKeyOfUrl, type Queryable } from '@parley/db';
import type { Logger } from 'pino';

/** The stored files that go with the rows a purge deletes. */
export interface MediaToDelete {
  keys: string[];
  /** A contact's whole folder (erasure), which also catches files no message names. */
  prefixes: string[];
}

const keysOf = (rows: { url: string | null }[]) =>
  rows.flatMap((row) => {
    const key = mediaKeyOfUrl(row.url);
    return key === null ? [] : [key];
  });

/**
 * Received files of erased contacts and expired conversations. They are collected in the purge's
 * transaction (from the messages that carried them) and deleted from the store once it committed.
 */
export class MediaCleanup {
  constructor(
    private readonly store: MediaStore,
    private readonly logger: Logger,
  ) {}

  async ofContact(db: Queryable, workspaceId: string, contact: string): Promise<MediaToDelete> {
    const { rows } = await db.query<{ url: string | null }>(
      `select body -> 'media' ->> 'url' as url from messages
        where workspace_id = $1 and contact = $2 and body ? 'media'`,
      [workspaceId, contact],
    );
    return { keys: keysOf(rows), prefixes: [contactMediaPrefix(workspaceId, contact)] };
  }

  /** The files of what `RetentionRepository.purgeExpired` deletes (same conditions). */
  async ofExpired(db: Queryable, workspaceId: string, days: number): Promise<MediaToDelete> {
    const { rows } = await db.query<{ url: string | null }>(
      `select m.body -> 'media' ->> 'url' as url from messages m
         join conversations c on c.id = m.conversation_id
        where c.workspace_id = $1 and c.status <> 'active' and c.ended_at < now() - make_interval(days => $2)
          and m.body ? 'media'
       union all
       select body -> 'media' ->> 'url' from messages
        where workspace_id = $1 and conversation_id is null and status <> 'received'
          and created_at < now() - make_interval(days => $2) and body ? 'media'`,
      [workspaceId, days],
    );
    return { keys: keysOf(rows), prefixes: [] };
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
