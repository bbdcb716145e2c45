import type { Queryable } from './db.js';

/**
 * Every Parley table has row-level security on and no policies, so only the tables' owner (and
 * roles with BYPASSRLS, like Supabase's service_role) see rows. Connected as any other role, Parley
 * would read empty tables without an error; this turns that into a clear refusal at start.
 */
export async function assertRowSecurityBypassed(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ role: string; relname: string }>(
    `select current_user as role, c.relname
       from pg_class c
      where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
        and c.relkind in ('r', 'p')
        and c.relrowsecurity
        and not (pg_has_role(current_user, c.relowner, 'USAGE') and not c.relforcerowsecurity)
        and not exists (select 1 from pg_roles where rolname = current_user and (rolbypassrls or rolsuper))
      order by c.relname`,
  );
  const first = rows[0];
  if (first === undefined) return;
  const names = rows.map((row) => row.relname);
  const tables =
    names.length > 5
      ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more tables`
      : names.join(', ');
  throw new Error(
    `Parley cannot see its data: it connects to the database as "${first.role}", and row-level security hides every row of ${tables} from that role. ` +
      'Use the connection string of the role that owns the tables (on Supabase: the "postgres" connection string), never a role such as anon or authenticated.',
  );
}
