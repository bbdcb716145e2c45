import type { SessionReason } from '@parley/contract';
import type { Db, Queryable } from '@parley/db';
import type { ConnectionState } from './connection-state.js';

/**
 * A number's WhatsApp connection as stored: its state (`numbers.state`, with its history in
 * `session_events`) and whether admins want it connected (`numbers.desired_connected`).
 */
export class ConnectionStateRepository {
  /**
   * Appends the event and sets `numbers.state` and `numbers.state_reason` in one transaction; the
   * number is only written while `fence` is its current fence (null: no fencing). Returns whether
   * it was written.
   */
  async record(
    db: Db,
    numberId: string,
    transition: {
      state: ConnectionState;
      detail: string | undefined;
      reason: SessionReason | null;
      owner: string;
      fence: number | null;
    },
  ): Promise<boolean> {
    const { state, detail, reason, owner, fence } = transition;
    const event = {
      ...(detail === undefined ? {} : { message: detail }),
      ...(reason === null ? {} : { reason }),
    };
    return db.transaction(async (tx) => {
      await tx.query(
        `insert into session_events (workspace_id, number_id, state, detail, owner)
         select workspace_id, id, $2, $3::jsonb, $4 from numbers where id = $1`,
        [numberId, state, JSON.stringify(event), owner],
      );
      const { rowCount } = await tx.query(
        `update numbers set state = $2, state_reason = $4::jsonb, updated_at = now() where id = $1
           and ($3::bigint is null or exists (select 1 from whatsapp_leases l where l.number_id = $1 and l.fence = $3))`,
        [numberId, state, fence, reason === null ? null : JSON.stringify(reason)],
      );
      return rowCount > 0;
    });
  }

  /** Which of `numberIds` are WhatsApp numbers still wanted connected. */
  async stillWanted(db: Queryable, numberIds: string[]): Promise<Set<string>> {
    const { rows } = await db.query<{ id: string }>(
      `select id from numbers where id = any($1::uuid[]) and channel = 'whatsapp' and desired_connected`,
      [numberIds],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** WhatsApp numbers wanted connected besides `except`, longest waiting first. */
  async wantedBesides(db: Queryable, except: string[], limit: number): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `select id from numbers where channel = 'whatsapp' and desired_connected and not (id = any($1::uuid[]))
       order by updated_at limit $2`,
      [except, limit],
    );
    return rows.map((row) => row.id);
  }

  /** An admin asked to connect the (WhatsApp) number. */
  async wantConnected(db: Queryable, numberId: string): Promise<void> {
    await db.query(
      `update numbers set desired_connected = true, updated_at = now()
       where id = $1 and channel = 'whatsapp' and not desired_connected`,
      [numberId],
    );
  }

  /** The number is no longer to be connected (logged out, or not resumable). */
  async wantDisconnected(db: Queryable, numberId: string): Promise<void> {
    await db.query('update numbers set desired_connected = false, updated_at = now() where id = $1', [
      numberId,
    ]);
  }
}
