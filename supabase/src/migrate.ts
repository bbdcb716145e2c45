import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

/** The folder holding the SQL migrations shipped with Parley. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

// Any constant works; it only has to be the same in every process that migrates.
const MIGRATION_LOCK_KEY = 7_263_510_042;

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

/**
 * Applies the `*.sql` files of `dir` in name order, in one transaction (all or nothing), recording them in
 * `schema_migrations`. Safe to run twice (recorded ones are skipped) and from two processes at once
 * (an advisory lock makes the second wait, then skip). A changed file that already ran is an error.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await tx.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    const result: MigrationResult = { applied: [], skipped: [] };
    for (const name of files) {
      const sql = await readFile(`${dir}/${name}`, 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const recorded = done.get(name);
      if (recorded !== undefined) {
        if (recorded !== checksum) {
          throw new Error(`Migration ${name} changed after it was applied; add a new migration instead.`);
        }
        result.skipped.push(name);
        continue;
      }
      await runScript(tx, sql);
      await tx.query('insert into schema_migrations (name, checksum) values ($1, $2)', [name, checksum]);
      result.applied.push(name);
    }
    return result;
  });
}

/** Runs a multi-statement SQL script (no parameters), statement by statement. */
async function runScript(tx: { query: Db['query'] }, sql: string): Promise<void> {
  for (const statement of splitStatements(sql)) await tx.query(statement);
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
