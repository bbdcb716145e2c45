import type { Member, Role } from '@parley/contract';
import type { Queryable } from '@parley/db';

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

  /** The workspace's admins, locked until the transaction ends: two admins demoting each other wait in turn. */
  async lockAdmins(tx: Queryable, workspaceId: string): Promise<string[]> {
    const { rows } = await tx.query<{ user_id: string }>(
      `select user_id from workspace_members where workspace_id = $1 and role = 'admin' for update`,
      [workspaceId],
    );
    return rows.map((row) => row.user_id);
  }

  async member(tx: Queryable, workspaceId: string, userId: string): Promise<Member | null> {
    const { rows } = await tx.query<{ id: string; email: string; role: Role; created_at: Date }>(
      `select u.id, u.email, m.role, m.created_at from workspace_members m join users u on u.id = m.user_id
       where m.workspace_id = $1 and m.user_id = $2 for update of m`,
      [workspaceId, userId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { id: row.id, email: row.email, role: row.role, joinedAt: row.created_at.toISOString() };
  }

  /** How many of the user's workspaces `adminId` is not an admin of. */
  async workspacesNotRunBy(tx: Queryable, userId: string, adminId: string): Promise<number> {
    const { rows } = await tx.query<{ count: number }>(
      `select count(*)::int as count from workspace_members m
       where m.user_id = $1 and not exists (
         select 1 from workspace_members a
         where a.workspace_id = m.workspace_id and a.user_id = $2 and a.role = 'admin')`,
      [userId, adminId],
    );
    return (rows[0] as { count: number }).count;
  }

  async setRole(tx: Queryable, workspaceId: string, userId: string, role: Role): Promise<void> {
    await tx.query('update workspace_members set role = $3 where workspace_id = $1 and user_id = $2', [
      workspaceId,
      userId,
      role,
    ]);
  }

  async remove(tx: Queryable, workspaceId: string, userId: string): Promise<void> {
    await tx.query('delete from workspace_members where workspace_id = $1 and user_id = $2', [
      workspaceId,
      userId,
    ]);
  }

  /**
   * Leaves the hand-offs the person holds in the workspace to no one (they can no longer answer
   * them there); returns which.
   */
  async freeConversations(
    tx: Queryable,
    workspaceId: string,
    userId: string,
  ): Promise<{ id: string; numberId: string; contact: string; isTest: boolean }[]> {
    const { rows } = await tx.query<{ id: string; number_id: string; contact: string; is_test: boolean }>(
      `update conversations set assigned_user_id = null, assigned_at = null
       where workspace_id = $1 and assigned_user_id = $2 returning id, number_id, contact, is_test`,
      [workspaceId, userId],
    );
    return rows.map((row) => ({
      id: row.id,
      numberId: row.number_id,
      contact: row.contact,
      isTest: row.is_test,
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
