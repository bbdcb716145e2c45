import { migrate } from './migrate.js';
import { dbOptionsFromEnv, openDb } from './open-db.js';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL or the embedded database. */
const options = dbOptionsFromEnv();
try {
  const db = await openDb(options);
  try {
    const { applied, skipped } = await migrate(db);
    const where =
      options.databaseUrl === undefined ? `embedded database in ${options.dataDir}` : 'DATABASE_URL';
    process.stdout.write(
      `Migrated ${where}: ${applied.length} applied, ${skipped.length} already applied.\n`,
    );
    for (const name of applied) process.stdout.write(`  applied ${name}\n`);
  } finally {
    await db.close();
  }
} catch (cause) {
  process.stderr.write(`db:migrate failed: ${(cause as Error).message}\n`);
  process.exitCode = 1;
}
