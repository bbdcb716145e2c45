export type { Db, NotificationHandler, Queryable } from './db.js';
export { MIGRATIONS_DIR, type MigrationResult, migrate, splitStatements } from './migrate.js';
export { dbOptionsFromEnv, type OpenDbOptions, openDb } from './open-db.js';
export { createPgDb, type PgDbOptions } from './pg-db.js';
export { createPgliteDb } from './pglite-db.js';
