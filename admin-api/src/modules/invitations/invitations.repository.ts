import type { JoinedWorkspace, ReceivedInvitation, Role, SentInvitation } from '@parley/contract';
import type { Queryable } from '@parley/db';

const OPEN = 'accepted_at is null and declined_at is null';

interface SentRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date;
  expires_at: Date;
}

const sent = (row: SentRow): SentInvitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invitedAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
});

/** Invitations to join a workspace, and the memberships accepting them creates. */
export class InvitationsRepository {
  /** A new open invitation; null when one is already open for this email in this workspace. */
  async create(
    db: Queryable,
    invitation: { workspaceId: string; email: string; role: Role; invitedBy: string; validDays: number },
  ): Promise<SentInvitation | null> {
    // An expired invitation no longer blocks inviting the same person again.
    await db.query(
      `delete from workspace_invitations
       where workspace_id = $1 and lower(email) = lower($2) and ${OPEN} and expires_at <= now()`,
      [invitation.workspaceId, invitation.email],
    );
    const { rows } = await db.query<SentRow>(
      `insert into workspace_invitations (workspace_id, email, role, invited_by, expires_at)
       values ($1, $2, $3, $4, now() + make_interval(days => $5))
       on conflict do nothing
       returning id, email, role, created_at, expires_at`,
      [invitation.workspaceId, invitation.email, invitation.role, invitation.invitedBy, invitation.validDays],
    );
    return rows[0] === undefined ? null : sent(rows[0]);
  }

  /** The workspace's open invitations, expired ones included (the admin can revoke or invite again). */
  async pending(db: Queryable, workspaceId: string): Promise<SentInvitation[]> {
    const { rows } = await db.query<SentRow>(
      `select id, email, role, created_at, expires_at from workspace_invitations
       where workspace_id = $1 and ${OPEN} order by created_at`,
      [workspaceId],
    );
    return rows.map(sent);
  }

  /** Deletes an open invitation of the workspace; null when there is none with that id. */
  async revoke(db: Queryable, workspaceId: string, id: string): Promise<SentInvitation | null> {
    const { rows } = await db.query<SentRow>(
      `delete from workspace_invitations where id = $1 and workspace_id = $2 and ${OPEN}
       returning id, email, role, created_at, expires_at`,
      [id, workspaceId],
    );
    return rows[0] === undefined ? null : sent(rows[0]);
  }

  /** Open, unexpired invitations addressed to this email. */
  async received(db: Queryable, email: string): Promise<ReceivedInvitation[]> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      role: Role;
      invited_by: string | null;
      created_at: Date;
      expires_at: Date;
    }>(
      `select i.id, w.name, i.role, u.email as invited_by, i.created_at, i.expires_at
       from workspace_invitations i
       join workspaces w on w.id = i.workspace_id
       left join users u on u.id = i.invited_by
       where lower(i.email) = lower($1) and i.accepted_at is null and i.declined_at is null
         and i.expires_at > now()
       order by i.created_at`,
      [email],
    );
    return rows.map((row) => ({
      id: row.id,
      workspaceName: row.name,
      role: row.role,
      invitedBy: row.invited_by,
      invitedAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
    }));
  }

  /**
   * Marks an open, unexpired invitation addressed to `email` as accepted or declined; null when
   * there is none (another person's, expired, revoked or already answered).
   */
  async answer(
    db: Queryable,
    id: string,
    email: string,
    answer: 'accepted' | 'declined',
  ): Promise<{ workspaceId: string; email: string; role: Role } | null> {
    const column = answer === 'accepted' ? 'accepted_at' : 'declined_at';
    const { rows } = await db.query<{ workspace_id: string; email: string; role: Role }>(
      `update workspace_invitations set ${column} = now()
       where id = $1 and lower(email) = lower($2) and ${OPEN} and expires_at > now()
       returning workspace_id, email, role`,
      [id, email],
    );
    const row = rows[0];
    return row === undefined ? null : { workspaceId: row.workspace_id, email: row.email, role: row.role };
  }

  /** Adds the membership (keeping the role of one that already exists) and returns it. */
  async join(db: Queryable, workspaceId: string, userId: string, role: Role): Promise<JoinedWorkspace> {
    await db.query(
      `insert into workspace_members (workspace_id, user_id, role) values ($1, $2, $3)
       on conflict (workspace_id, user_id) do nothing`,
      [workspaceId, userId, role],
    );
    const { rows } = await db.query<{ name: string; role: Role }>(
      `select w.name, m.role from workspace_members m join workspaces w on w.id = m.workspace_id
       where m.workspace_id = $1 and m.user_id = $2`,
      [workspaceId, userId],
    );
    const row = rows[0] as { name: string; role: Role };
    return { workspaceId, workspaceName: row.name, role: row.role };
  }
}
