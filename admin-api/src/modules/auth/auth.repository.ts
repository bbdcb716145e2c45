import type { Role } from '@parley/contract';
import type { Queryable } from '@parley/db';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string | null;
}

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

/** Users, sign-in sessions and workspace memberships. */
export class AuthRepository {
  async userByEmail(db: Queryable, email: string): Promise<UserRecord | null> {
    const { rows } = await db.query<{ id: string; email: string; password_hash: string | null }>(
      'select id, email, password_hash from users where lower(email) = lower($1)',
      [email],
    );
    const row = rows[0];
    return row === undefined ? null : { id: row.id, email: row.email, passwordHash: row.password_hash };
  }

  async userBySupabaseId(db: Queryable, supabaseId: string): Promise<{ id: string; email: string } | null> {
    const { rows } = await db.query<{ id: string; email: string }>(
      'select id, email from users where supabase_user_id = $1',
      [supabaseId],
    );
    return rows[0] ?? null;
  }

  /** Links the user with this email to a Supabase user, only if it has no Supabase link yet. */
  async linkSupabaseByEmail(
    db: Queryable,
    email: string,
    supabaseId: string,
  ): Promise<{ id: string; email: string } | null> {
    const { rows } = await db.query<{ id: string; email: string }>(
      `update users set supabase_user_id = $2
       where lower(email) = lower($1) and supabase_user_id is null
       returning id, email`,
      [email, supabaseId],
    );
    return rows[0] ?? null;
  }

  /** `passwordChangeRequired`: opened with a one-time password, so it must choose a new one. */
  async createSession(
    db: Queryable,
    userId: string,
    ttlSeconds: number,
    passwordChangeRequired = false,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `insert into auth_sessions (user_id, expires_at, password_change_required)
       values ($1, now() + make_interval(secs => $2), $3) returning id`,
      [userId, ttlSeconds, passwordChangeRequired],
    );
    return (rows[0] as { id: string }).id;
  }

  async passwordChangeRequired(db: Queryable, sessionId: string): Promise<boolean> {
    const { rows } = await db.query<{ required: boolean }>(
      'select password_change_required as required from auth_sessions where id = $1',
      [sessionId],
    );
    return rows[0]?.required === true;
  }

  async passwordChanged(db: Queryable, sessionId: string): Promise<void> {
    await db.query('update auth_sessions set password_change_required = false where id = $1', [sessionId]);
  }

  async userById(db: Queryable, id: string): Promise<UserRecord | null> {
    const { rows } = await db.query<{ id: string; email: string; password_hash: string | null }>(
      'select id, email, password_hash from users where id = $1',
      [id],
    );
    const row = rows[0];
    return row === undefined ? null : { id: row.id, email: row.email, passwordHash: row.password_hash };
  }

  async setPassword(db: Queryable, userId: string, passwordHash: string): Promise<void> {
    await db.query('update users set password_hash = $2 where id = $1', [userId, passwordHash]);
  }

  /**
   * Ends a user's sessions, but `keep`. Cached callers are dropped by the caller, once per user (the
   * access-changed message), not once per session.
   */
  async revokeSessionsOf(db: Queryable, userId: string, keep: string | null): Promise<void> {
    await db.query(
      `update auth_sessions set revoked_at = now()
       where user_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2::uuid)`,
      [userId, keep],
    );
  }

  async revokeSession(db: Queryable, sessionId: string): Promise<void> {
    await db.query('update auth_sessions set revoked_at = now() where id = $1 and revoked_at is null', [
      sessionId,
    ]);
  }

  /** The caller's session state and role in a workspace (the first one when none is asked for), in one query. */
  async sessionAccess(
    db: Queryable,
    sessionId: string | null,
    userId: string,
    workspaceId: string | null,
  ): Promise<{ email: string; sessionValid: boolean; membership: Membership | null } | null> {
    const { rows } = await db.query<{
      email: string;
      session_valid: boolean;
      workspace_id: string | null;
      workspace_name: string | null;
      role: Role | null;
    }>(
      `select u.email,
         ($1::uuid is null or exists (select 1 from auth_sessions s where s.id = $1::uuid and s.user_id = u.id
           and s.revoked_at is null and s.expires_at > now())) as session_valid,
         m.workspace_id, w.name as workspace_name, m.role
       from users u
       left join lateral (
         select workspace_id, role, created_at from workspace_members
         where user_id = u.id and ($3::uuid is null or workspace_id = $3::uuid)
         order by created_at limit 1
       ) m on true
       left join workspaces w on w.id = m.workspace_id
       where u.id = $2`,
      [sessionId, userId, workspaceId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      email: row.email,
      sessionValid: row.session_valid,
      membership:
        row.workspace_id === null || row.role === null
          ? null
          : { workspaceId: row.workspace_id, workspaceName: row.workspace_name ?? '', role: row.role },
    };
  }

  async memberships(db: Queryable, userId: string): Promise<Membership[]> {
    const { rows } = await db.query<{ workspace_id: string; name: string; role: Role }>(
      `select m.workspace_id, w.name, m.role from workspace_members m join workspaces w on w.id = m.workspace_id
       where m.user_id = $1 order by m.created_at`,
      [userId],
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, workspaceName: row.name, role: row.role }));
  }

  /** Serializes the first-admin bootstrap across processes until the transaction ends. */
  async lockBootstrap(tx: Queryable): Promise<void> {
    await tx.query('select pg_advisory_xact_lock(7263510043)');
  }

  /** Some accounts' emails, oldest first: to show whoever mistyped one at the command line. */
  async someEmails(db: Queryable, limit: number): Promise<string[]> {
    const { rows } = await db.query<{ email: string }>(
      'select email from users order by created_at limit $1',
      [limit],
    );
    return rows.map((row) => row.email);
  }

  async userCount(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ count: number }>('select count(*)::int as count from users');
    return rows[0]?.count ?? 0;
  }

  async createUser(db: Queryable, email: string, passwordHash: string | null): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      'insert into users (email, password_hash) values ($1, $2) returning id',
      [email, passwordHash],
    );
    return (rows[0] as { id: string }).id;
  }
}
