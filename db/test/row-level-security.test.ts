import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.js';
import { migrate } from '../src/migrate.js';
import { createPgDb } from '../src/pg-db.js';
import { createTestDatabase, seedPublishedFlow } from '../src/testing.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A migrated database with a role of this test's own, privileged like Supabase's anon role. */
async function databaseWithRole(login: boolean): Promise<{ url: string; db: Db; role: string }> {
  const { url, db, drop } = await createTestDatabase();
  cleanups.push(drop);
  // Roles are cluster-wide: a unique name per test, dropped afterwards (after its grants).
  const role = `parley_anon_${randomBytes(6).toString('hex')}`;
  await db.query(`create role ${role} ${login ? 'login' : 'nologin'}`);
  cleanups.push(async () => {
    await db.query(`drop owned by ${role}`);
    await db.query(`drop role ${role}`);
  });
  // What Supabase grants anon and authenticated on every table in public.
  await db.query(`grant usage on schema public to ${role}`);
  await db.query(`grant select, insert, update, delete on all tables in schema public to ${role}`);
  return { url, db, role };
}

async function tables(db: Db): Promise<{ name: string; rls: boolean }[]> {
  const { rows } = await db.query<{ name: string; rls: boolean }>(
    `select relname as name, relrowsecurity as rls from pg_class
      where relnamespace = (select oid from pg_namespace where nspname = current_schema())
        and relkind in ('r', 'p')
      order by relname`,
  );
  return rows;
}

describe('row-level security', () => {
  it('is enabled on every table, so a migration that forgets it fails here', async () => {
    const { db, drop } = await createTestDatabase();
    cleanups.push(drop);

    const all = await tables(db);
    expect(all.map((table) => table.name)).toContain('workspaces');
    expect(all.map((table) => table.name)).toContain('schema_migrations');
    expect(all.filter((table) => !table.rls).map((table) => table.name)).toEqual([]);
  });

  it('a role like Supabase anon, with privileges granted, reads no row of any table and writes none', async () => {
    const { db, role } = await databaseWithRole(false);
    await seedPublishedFlow(db, { seeded: true });
    const all = await tables(db);

    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from workspaces');
    expect(rows[0]?.n).toBe(1);
    await db.transaction(async (tx) => {
      await tx.query(`set local role ${role}`);
      for (const table of all) {
        const seen = await tx.query<{ n: number }>(`select count(*)::int as n from ${table.name}`);
        expect({ table: table.name, rows: seen.rows[0]?.n }).toEqual({ table: table.name, rows: 0 });
      }
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`set local role ${role}`);
        await tx.query(`insert into workspaces (name) values ('from anon')`);
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('Parley connected as such a role refuses to start, saying which connection to use', async () => {
    const { url, role } = await databaseWithRole(true);
    const asRole = new URL(url);
    asRole.username = role;
    const db = createPgDb({ connectionString: asRole.toString(), max: 1 });
    cleanups.push(() => db.close());

    await expect(migrate(db)).rejects.toThrow(
      new RegExp(`connects to the database as "${role}", and row-level security hides every row`),
    );
    await expect(migrate(db)).rejects.toThrow(/the role that owns the tables/);
  });
});
