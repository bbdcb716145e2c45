import type { Role } from '@parley/contract';
import type { Queryable } from '@parley/db';

export interface Member {
  id: string;
  email: string;
  role: Role;
  joinedAt: string;
}

/** Workspace membership SQL. */
export class UsersRepository {
  async members(db: Queryable, workspaceId: string): Promise<Member[]> {
    const { rows } = await db.query<{ id: string; email: string; role: Role; created_at: Date }>(
      `select u.id, u.email, m.role, m.created_at from workspace_members m join users u on u.id = m.user_id
       where m.workspace_id = $1 order by m.created_at`,
      [workspaceId],
    );
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      joinedAt: row.created_at.toISOString(),
    }));
  }

  /** Whether the account with this email is a member of the workspace (the admin sees members anyway). */
  async isMember(db: Queryable, workspaceId: string, email: string): Promise<boolean> {
    const { rows } = await db.query(
      `select 1 from workspace_members m join users u on u.id = m.user_id
       where m.workspace_id = $1 and lower(u.email) = lower($2)`,
      [workspaceId, email],
    );
    return rows.length > 0;
  }

  /** Creates the account when no account has this email; an existing one is left exactly as it is. */
  async createAccountIfNew(db: Queryable, email: string, passwordHash: string): Promise<void> {
    await db.query(
      'insert into users (email, password_hash) values ($1, $2) on conflict ((lower(email))) do nothing',
      [email, passwordHash],
    );
  }
}
