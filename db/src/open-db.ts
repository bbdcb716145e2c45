import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Db } from './db.js';
import { createPgDb } from './pg-db.js';
import { createPgliteDb } from './pglite-db.js';

export interface OpenDbOptions {
  databaseUrl?: string;
  dataDir?: string;
  max?: number;
  applicationName?: string;
}

/** Real Postgres when DATABASE_URL is set, else embedded PGlite under `<dataDir>/pglite`. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return createPgDb({
      connectionString: options.databaseUrl,
      ...(options.max === undefined ? {} : { max: options.max }),
      ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    });
  }
  const dir = join(resolve(options.dataDir ?? '.parley'), 'pglite');
  await mkdir(dir, { recursive: true });
  return createPgliteDb(dir);
}

/** Settings from the environment (DATABASE_URL, PARLEY_DATA_DIR). */
export function dbOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDbOptions {
  return {
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: env.PARLEY_DATA_DIR || '.parley',
  };
}
