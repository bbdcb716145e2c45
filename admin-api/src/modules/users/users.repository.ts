import type { Queryable } from '@parley/db';
import type { Role } from '../../http/route.js';

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

  /** Adds a membership; false when the user already is a member. */
  async addMember(db: Queryable, workspaceId: string, userId: string, role: Role): Promise<boolean> {
    const { rowCount } = await db.query(
      'insert into workspace_members (workspace_id, user_id, role) values ($1, $2, $3) on conflict do nothing',
      [workspaceId, userId, role],
    );
    return rowCount > 0;
  }
}
