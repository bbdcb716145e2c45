import type { Queryable } from '@parley/db';

/** The tables (of the public schema) where some row's text contains `needle`. */
export async function tablesContaining(db: Queryable, needle: string): Promise<string[]> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ hits: number }>(
      `select count(*)::int as hits from "${name}" t where strpos(t::text, $1) > 0`,
      [needle],
    );
    if ((rows[0]?.hits ?? 0) > 0) found.push(name);
  }
  return found;
}
