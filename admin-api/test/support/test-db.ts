import { randomBytes } from 'node:crypto';
import { createPgDb, type Db, migrate } from '@parley/db';

/** Where the tests find Postgres (the machine's own by default). */
export const TEST_POSTGRES_URL =
  process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database with Parley's migrations applied; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const admin = createPgDb({ connectionString: TEST_POSTGRES_URL, max: 1 });
  try {
    await admin.query('select 1');
  } catch (error) {
    await admin.close();
    throw new Error(
      `Postgres is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). Start it, or point PARLEY_TEST_POSTGRES_URL at one.`,
    );
  }
  const name = `parley_api_t_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = withDatabase(TEST_POSTGRES_URL, name);
  const db = createPgDb({ connectionString: url, max: 10 });
  await migrate(db);
  return {
    url,
    db,
    drop: async () => {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}
