import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db, Queryable } from './db.js';
import { assertRowSecurityBypassed } from './row-security.js';
import {
  type CliMigrationId,
  cliMigrationId,
  ensureCliLedger,
  readCliVersions,
  recordInCliLedger,
} from './supabase-cli-ledger.js';

/** The folder holding the SQL migrations shipped with Parley. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../supabase/migrations/', import.meta.url));

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_263_510_042;

export interface MigrationResult {
  applied: string[];
  /** Already applied, by Parley or by the Supabase CLI. */
  skipped: string[];
}

/**
 * Applies the `*.sql` files of `dir` in name order, in one transaction (all or nothing), recording them in
 * `schema_migrations`. Safe to run twice (recorded ones are skipped) and from two processes at once
 * (an advisory lock makes the second wait, then skip). A changed file that already ran is an error.
 *
 * It also keeps the Supabase CLI's ledger (`supabase_migrations.schema_migrations`) in step, on any
 * Postgres: a file the CLI applied is recorded and not run again, and every file Parley records is
 * listed there too, so `supabase db push` after Parley (or Parley after it) applies nothing twice.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await readMigrationFiles(dir);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    // Before anything that needs ownership, so a wrong role gets the clear message.
    await assertRowSecurityBypassed(tx);
    await tx.query(`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    // Like every Parley table: Supabase's anon and authenticated roles read nothing from it.
    await tx.query('alter table schema_migrations enable row level security');
    await ensureCliLedger(tx);
    const { rows } = await tx.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    const appliedByCli = await readCliVersions(tx);
    const result: MigrationResult = { applied: [], skipped: [] };
    for (const file of files) {
      const recorded = done.get(file.name);
      if (recorded !== undefined && recorded !== file.checksum) {
        throw new Error(`Migration ${file.name} changed after it was applied; add a new migration instead.`);
      }
      if (recorded === undefined && !appliedByCli.has(file.id.version)) {
        await runScript(tx, file.statements);
        result.applied.push(file.name);
      } else {
        result.skipped.push(file.name);
      }
      if (recorded === undefined) {
        await tx.query('insert into schema_migrations (name, checksum) values ($1, $2)', [
          file.name,
          file.checksum,
        ]);
      }
      if (!appliedByCli.has(file.id.version)) await recordInCliLedger(tx, file.id, file.statements);
    }
    return result;
  });
}

interface MigrationFile {
  name: string;
  id: CliMigrationId;
  checksum: string;
  statements: string[];
}

async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const byVersion = new Map<string, string>();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const id = cliMigrationId(name);
    const clash = byVersion.get(id.version);
    if (clash !== undefined) {
      throw new Error(
        `Migrations ${clash} and ${name} share the version ${id.version}; the Supabase CLI keys migrations by it, so give one a new number.`,
      );
    }
    byVersion.set(id.version, name);
    const sql = await readFile(`${dir}/${name}`, 'utf8');
    files.push({
      name,
      id,
      checksum: createHash('sha256').update(sql).digest('hex'),
      statements: splitStatements(sql),
    });
  }
  return files;
}

/** Runs a migration's statements, one by one (no parameters). */
async function runScript(tx: Queryable, statements: string[]): Promise<void> {
  for (const statement of statements) await tx.query(statement);
}

/** Splits SQL on semicolons outside quotes, comments and dollar-quoted bodies. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const dollar = /^\$[A-Za-z0-9_]*\$/.exec(rest);
    if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      current += '\n';
    } else if (rest.startsWith("'")) {
      const end = findQuoteEnd(sql, i);
      current += sql.slice(i, end);
      i = end;
    } else if (dollar) {
      const tag = dollar[0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end === -1 ? sql.length : end + tag.length;
      current += sql.slice(i, stop);
      i = stop;
    } else if (rest.startsWith(';')) {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
      i += 1;
    } else {
      current += sql[i];
      i += 1;
    }
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}

function findQuoteEnd(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
    else if (sql[i] === "'") return i + 1;
    else i += 1;
  }
  return sql.length;
}
