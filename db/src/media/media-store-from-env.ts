import { join } from 'node:path';
import { LocalMediaStore } from './local-media-store.js';
import type { MediaStore } from './media-store.js';
import { S3MediaStore } from './s3-media-store.js';

/**
 * The media store the settings name: S3-compatible storage when PARLEY_S3_BUCKET is set, else the
 * folder PARLEY_MEDIA_DIR (or its old name PARLEY_WA_MEDIA_DIR; default `<PARLEY_DATA_DIR>/media`). The API and every runtime must
 * see the same one.
 */
export function mediaStoreFromEnv(env: NodeJS.ProcessEnv, dataDir: string): MediaStore {
  const bucket = env.PARLEY_S3_BUCKET?.trim();
  if (!bucket)
    return new LocalMediaStore(env.PARLEY_MEDIA_DIR || env.PARLEY_WA_MEDIA_DIR || join(dataDir, 'media'));
  return new S3MediaStore({
    bucket,
    region: env.PARLEY_S3_REGION || 'us-east-1',
    forcePathStyle: env.PARLEY_S3_FORCE_PATH_STYLE === '1' || env.PARLEY_S3_FORCE_PATH_STYLE === 'true',
    ...(env.PARLEY_S3_ENDPOINT ? { endpoint: env.PARLEY_S3_ENDPOINT } : {}),
    ...(env.PARLEY_S3_ACCESS_KEY_ID ? { accessKeyId: env.PARLEY_S3_ACCESS_KEY_ID } : {}),
    ...(env.PARLEY_S3_SECRET_ACCESS_KEY ? { secretAccessKey: env.PARLEY_S3_SECRET_ACCESS_KEY } : {}),
  });
}
