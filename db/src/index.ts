export { Batcher } from './batcher.js';
export { DataDirInUse } from './data-dir-lock.js';
export { isDataError } from './data-error.js';
export type { Db, NotificationHandler, Queryable } from './db.js';
export { envNumber } from './env-number.js';
export { LocalMediaStore } from './media/local-media-store.js';
export {
  contactMediaPrefix,
  downloadName,
  MEDIA_URL_PREFIX,
  mediaKey,
  mediaKeyOfUrl,
  parseMediaKey,
} from './media/media-keys.js';
export type { MediaStore, StoredMedia } from './media/media-store.js';
export { mediaStoreFromEnv } from './media/media-store-from-env.js';
export { type S3MediaOptions, S3MediaStore } from './media/s3-media-store.js';
export { MIGRATIONS_DIR, type MigrationResult, migrate, splitStatements } from './migrate.js';
export { dbOptionsFromEnv, type OpenDbOptions, openDb } from './open-db.js';
export { BlockedAddressError } from './outbound-http/address-guard.js';
export { dispatcherFor, fetchFor } from './outbound-http/dispatchers.js';
export { postOnce } from './outbound-http/post.js';
export { SIGNATURE_VERSION, type SignedRequest, signRequest } from './outbound-http/signature.js';
export { createPgDb, type PgDbOptions } from './pg-db.js';
export { createPgliteDb } from './pglite-db.js';
export { ping } from './ping.js';
export {
  type CipherPurpose,
  cipherPurposes,
  deriveSecretKey,
  isSealedText,
  SecretCipher,
  SecretDecryptError,
  type SecretKey,
} from './secret-cipher.js';
export { resolveSecretKey } from './secret-key.js';
export { isUuid } from './uuid.js';
