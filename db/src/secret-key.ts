import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * PARLEY_SECRET_KEY, or (embedded mode) a key generated once into `<dataDir>/secret.key` so
 * tokens and encrypted sessions survive restarts without configuration.
 */
export async function resolveSecretKey(env: NodeJS.ProcessEnv, dataDir: string): Promise<string> {
  if (env.PARLEY_SECRET_KEY) return env.PARLEY_SECRET_KEY;
  const file = join(dataDir, 'secret.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const key = randomBytes(32).toString('base64');
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}
