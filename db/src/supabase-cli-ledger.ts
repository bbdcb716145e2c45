import type { Queryable } from './db.js';

/**
 * The Supabase CLI's record of applied migrations (`supabase db push`, `supabase migration up`):
 * `supabase_migrations.schema_migrations (version text primary key, statements text[], name text)`,
 * one row per file, keyed by the digits before the first underscore of the file name. Parley reads
 * it so migrations the CLI applied are not run again, and writes it so the CLI skips what Parley
 * applied. The shape and the statements below are the CLI's own (pkg/migration/history.go).
 */

// The CLI's file name pattern (pkg/migration/file.go): files not matching it are skipped by the CLI.
const CLI_FILE_PATTERN = /^([0-9]+)_(.*)\.sql$/;

export interface CliMigrationId {
  version: string;
  name: string;
}

/** The version and name the Supabase CLI gives a migration file, e.g. `20261122000001_core.sql`. */
export function cliMigrationId(fileName: string): CliMigrationId {
  const match = CLI_FILE_PATTERN.exec(fileName);
  if (match === null) {
    throw new Error(
      `Migration ${fileName} must be named <digits>_<name>.sql, or the Supabase CLI would skip it and the two ways of migrating would differ.`,
    );
  }
  return { version: match[1] as string, name: match[2] as string };
}

/**
 * Creates the CLI's ledger when missing, in the CLI's shape. The schema is only created when it is
 * absent: `create schema if not exists` still needs the CREATE privilege on the database.
 */
export async function ensureCliLedger(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ present: boolean }>(
    `select exists (select 1 from pg_namespace where nspname = 'supabase_migrations') as present`,
  );
  if (rows[0]?.present !== true) await tx.query('create schema supabase_migrations');
  await tx.query(
    'create table if not exists supabase_migrations.schema_migrations (version text not null primary key)',
  );
  await tx.query(
    'alter table supabase_migrations.schema_migrations add column if not exists statements text[]',
  );
  await tx.query('alter table supabase_migrations.schema_migrations add column if not exists name text');
}

/** The versions the CLI's ledger lists. */
export async function readCliVersions(tx: Queryable): Promise<Set<string>> {
  const { rows } = await tx.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations',
  );
  return new Set(rows.map((row) => row.version));
}

/** Lists a migration in the CLI's ledger, unless it is there already. */
export async function recordInCliLedger(
  tx: Queryable,
  id: CliMigrationId,
  statements: string[],
): Promise<void> {
  // `where not exists` rather than `on conflict`: a ledger made by hand may lack the primary key.
  await tx.query(
    `insert into supabase_migrations.schema_migrations (version, name, statements)
     select $1::text, $2::text, $3::text[]
     where not exists (select 1 from supabase_migrations.schema_migrations where version = $1::text)`,
    [id.version, id.name, statements],
  );
}
