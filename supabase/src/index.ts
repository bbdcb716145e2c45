export type { Bus } from './bus/bus.js';
export { MemoryBus } from './bus/memory-bus.js';
export { PgBus } from './bus/pg-bus.js';
export { RedisBus } from './bus/redis-bus.js';
export type { Db, NotificationHandler, Queryable } from './db.js';
export { MIGRATIONS_DIR, type MigrationResult, migrate, splitStatements } from './migrate.js';
export { dbOptionsFromEnv, type OpenDbOptions, openDb } from './open-db.js';
export { createPgDb, type PgDbOptions } from './pg-db.js';
export { createPgliteDb } from './pglite-db.js';
