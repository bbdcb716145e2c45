import type { SavedReply } from '@parley/contract';
import type { Queryable } from '@parley/db';

interface SavedReplyRow {
  id: string;
  title: string;
  body: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, title, body, created_at, updated_at';

function toSavedReply(row: SavedReplyRow): SavedReply {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** SQL of a workspace's saved replies. */
export class SavedRepliesRepository {
  async list(db: Queryable, workspaceId: string): Promise<SavedReply[]> {
    const { rows } = await db.query<SavedReplyRow>(
      `select ${COLUMNS} from saved_replies where workspace_id = $1 order by lower(title), id`,
      [workspaceId],
    );
    return rows.map(toSavedReply);
  }

  async get(db: Queryable, workspaceId: string, id: string): Promise<SavedReply | null> {
    const { rows } = await db.query<SavedReplyRow>(
      `select ${COLUMNS} from saved_replies where id = $1 and workspace_id = $2`,
      [id, workspaceId],
    );
    return rows[0] === undefined ? null : toSavedReply(rows[0]);
  }

  /** Adds a saved reply; null when the workspace already has one with this title (in any case). */
  async create(
    db: Queryable,
    workspaceId: string,
    userId: string,
    reply: { title: string; body: string },
  ): Promise<SavedReply | null> {
    const { rows } = await db.query<SavedReplyRow>(
      `insert into saved_replies (workspace_id, title, body, created_by) values ($1, $2, $3, $4)
       on conflict do nothing returning ${COLUMNS}`,
      [workspaceId, reply.title, reply.body, userId],
    );
    return rows[0] === undefined ? null : toSavedReply(rows[0]);
  }

  /** Whether another saved reply of the workspace has this title (in any case). */
  async titleTaken(db: Queryable, workspaceId: string, title: string, exceptId: string): Promise<boolean> {
    const { rows } = await db.query<{ taken: boolean }>(
      `select exists (select 1 from saved_replies where workspace_id = $1 and lower(title) = lower($2)
         and id <> $3) as taken`,
      [workspaceId, title, exceptId],
    );
    return rows[0]?.taken === true;
  }

  async update(
    db: Queryable,
    workspaceId: string,
    id: string,
    reply: { title: string; body: string },
  ): Promise<SavedReply | null> {
    const { rows } = await db.query<SavedReplyRow>(
      `update saved_replies set title = $3, body = $4, updated_at = now()
       where id = $1 and workspace_id = $2 returning ${COLUMNS}`,
      [id, workspaceId, reply.title, reply.body],
    );
    return rows[0] === undefined ? null : toSavedReply(rows[0]);
  }

  async delete(db: Queryable, workspaceId: string, id: string): Promise<void> {
    await db.query('delete from saved_replies where id = $1 and workspace_id = $2', [id, workspaceId]);
  }
}
