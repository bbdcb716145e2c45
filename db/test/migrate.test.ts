import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { MIGRATIONS_DIR, migrate, splitStatements } from '../src/migrate.js';
import { createPgDb } from '../src/pg-db.js';
import { createPgliteDb } from '../src/pglite-db.js';
import { createTestDatabase } from '../src/testing.js';

interface ShippedMigration {
  file: string;
  version: string;
  name: string;
  sql: string;
}

/** The shipped migrations, with the version and name the Supabase CLI takes from each file name. */
async function shippedMigrations(): Promise<ShippedMigration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const [, version = '', name = ''] = /^([0-9]+)_(.*)\.sql$/.exec(file) ?? [];
      return { file, version, name, sql: await readFile(join(MIGRATIONS_DIR, file), 'utf8') };
    }),
  );
}

/** What `supabase db push` / `supabase migration up` does: its ledger, then each file and its row in one transaction. */
async function applyLikeSupabaseCli(db: Db, migrations: ShippedMigration[]): Promise<void> {
  await db.query('CREATE SCHEMA IF NOT EXISTS supabase_migrations');
  await db.query(
    'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)',
  );
  await db.query(
    'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]',
  );
  await db.query('ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text');
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      await tx.query(migration.sql);
      await tx.query(
        'INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES($1, $2, $3)',
        [migration.version, migration.name, splitStatements(migration.sql)],
      );
    });
  }
}

/** The CLI's ledger, in the order `supabase db push` reads it. */
async function cliLedger(db: Db): Promise<{ version: string; name: string; statements: number }[]> {
  const { rows } = await db.query<{ version: string; name: string; statements: number }>(
    `select version, name, coalesce(array_length(statements, 1), 0) as statements
       from supabase_migrations.schema_migrations order by version`,
  );
  return rows;
}

async function parleyLedger(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>('select name from schema_migrations order by name');
  return rows.map((row) => row.name);
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function database(migrated: boolean): Promise<Db> {
  const { db, drop } = await createTestDatabase({ migrated });
  cleanups.push(drop);
  return db;
}

describe('migrate, with the Supabase CLI in either order', () => {
  it('Parley first: the CLI ledger lists every version with the name the CLI computes, so a later push applies nothing', async () => {
    const shipped = await shippedMigrations();
    const db = await database(true);

    const ledger = await cliLedger(db);
    expect(ledger.map(({ version, name }) => ({ version, name }))).toEqual(
      shipped.map(({ version, name }) => ({ version, name })),
    );
    for (const row of ledger) expect(row.statements).toBeGreaterThan(0);

    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(shipped.map((migration) => migration.file));
    expect(await cliLedger(db)).toEqual(ledger);
  });

  it('CLI first: Parley records what the CLI applied and runs nothing twice; twice is a no-op', async () => {
    const shipped = await shippedMigrations();
    const db = await database(false);
    await applyLikeSupabaseCli(db, shipped);

    const first = await migrate(db);
    expect(first.applied).toEqual([]);
    expect(first.skipped).toEqual(shipped.map((migration) => migration.file));
    expect(await parleyLedger(db)).toEqual(shipped.map((migration) => migration.file));
    expect(await cliLedger(db)).toHaveLength(shipped.length);

    const second = await migrate(db);
    expect(second.applied).toEqual([]);
  });

  it('CLI applied the older migrations: Parley applies only the newer ones and lists them for the CLI', async () => {
    const shipped = await shippedMigrations();
    const older = shipped.slice(0, -1);
    const newest = shipped.at(-1) as ShippedMigration;
    const db = await database(false);
    await applyLikeSupabaseCli(db, older);

    const result = await migrate(db);
    expect(result.applied).toEqual([newest.file]);
    expect((await cliLedger(db)).map((row) => row.version)).toEqual(shipped.map((m) => m.version));
  });

  it('a database Parley migrated before it kept the CLI ledger gets every version listed, nothing re-run', async () => {
    const shipped = await shippedMigrations();
    const db = await database(true);
    await db.query('drop schema supabase_migrations cascade');

    const result = await migrate(db);
    expect(result.applied).toEqual([]);
    expect((await cliLedger(db)).map((row) => row.version)).toEqual(shipped.map((m) => m.version));
  });

  it('processes migrating at once apply each migration once', async () => {
    const { url, db, drop } = await createTestDatabase({ migrated: false });
    cleanups.push(drop);
    const other = createPgDb({ connectionString: url, max: 2 });
    cleanups.push(() => other.close());

    const results = await Promise.all([migrate(db), migrate(other)]);
    const applied = results.flatMap((result) => result.applied);
    expect(applied.sort()).toEqual((await shippedMigrations()).map((m) => m.file));
  });

  it('works on embedded PGlite, the CLI ledger included', async () => {
    const db = await createPgliteDb();
    cleanups.push(() => db.close());
    const shipped = await shippedMigrations();

    expect((await migrate(db)).applied).toHaveLength(shipped.length);
    expect((await migrate(db)).applied).toEqual([]);
    expect((await cliLedger(db)).map((row) => row.version)).toEqual(shipped.map((m) => m.version));
  });

  it('seed.sql, the demo data of a local Supabase stack, loads on the migrated schema, twice', async () => {
    const db = await database(true);
    const seed = await readFile(new URL('../../supabase/seed.sql', import.meta.url), 'utf8');
    await db.query(seed);
    await db.query(seed);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from numbers');
    expect(rows[0]?.n).toBe(1);
  });

  it('refuses file names the CLI would skip or confuse, saying why', async () => {
    const db = await database(false);
    const dir = await mkdtemp(join(tmpdir(), 'parley-migrations-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));

    await writeFile(join(dir, 'core.sql'), 'select 1;');
    await expect(migrate(db, dir)).rejects.toThrow(/core\.sql must be named <digits>_<name>\.sql/);

    await rm(join(dir, 'core.sql'));
    await writeFile(join(dir, '1_a.sql'), 'select 1;');
    await writeFile(join(dir, '1_b.sql'), 'select 2;');
    await expect(migrate(db, dir)).rejects.toThrow(/1_a\.sql and 1_b\.sql share the version 1/);
  });
});
