import { type CipherPurpose, resolveSecretKey, SecretCipher } from '@parley/db';
import type { RuntimeConfig } from './config.js';

/**
 * A cipher of the runtime's, made on first use: without PARLEY_SECRET_KEY the key is the one the
 * all-in-one start generated into the data dir, read asynchronously.
 */
export function lazyCipher(config: RuntimeConfig, purpose: CipherPurpose): () => Promise<SecretCipher> {
  let cipher: Promise<SecretCipher> | null = null;
  return () => {
    cipher ??= resolveSecretKey(
      config.secretKey === undefined ? {} : { PARLEY_SECRET_KEY: config.secretKey },
      config.dataDir,
    ).then((secret) => SecretCipher.fromSecrets(purpose, secret, config.previousSecretKey));
    return cipher;
  };
}
