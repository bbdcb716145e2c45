import type { Readable } from 'node:stream';

/** A stored file, ready to stream. */
export interface StoredMedia {
  body: Readable;
  mimeType: string;
  size: number;
}

/**
 * Where received files live: a local folder on embedded defaults, S3-compatible object storage
 * when configured. Keys come from `mediaKey` (workspace / contact / file), so deleting a contact's
 * files is one prefix.
 */
export interface MediaStore {
  put(key: string, bytes: Buffer, mimeType: string): Promise<void>;
  /** The file, or null when there is none under that key. */
  get(key: string): Promise<StoredMedia | null>;
  /** Deletes these files; keys without a file are skipped. */
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes every file whose key starts with `prefix` (which ends with `/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}
