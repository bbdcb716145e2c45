import type { Queryable } from '@parley/db';
import type { HttpRequestEffect } from '../../engine/events.js';

export interface PendingEffect {
  numberId: string;
  contact: string;
  workspaceId: string;
  effect: HttpRequestEffect;
}

/** http_request calls that were decided but never answered (a crash in between). */
export class EffectRepository {
  async stale(db: Queryable, olderThanMs: number, limit: number): Promise<PendingEffect[]> {
    const { rows } = await db.query<{
      request_id: string;
      number_id: string;
      contact: string;
      workspace_id: string;
      payload: { request: HttpRequestEffect['request']; nodeId: string; conversationId: string };
    }>(
      `select request_id, number_id, contact, workspace_id, payload from pending_effects
       where created_at < now() - make_interval(secs => $1::double precision / 1000)
       order by created_at limit $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => ({
      numberId: row.number_id,
      contact: row.contact,
      workspaceId: row.workspace_id,
      effect: {
        type: 'http_request',
        requestId: row.request_id,
        nodeId: row.payload.nodeId,
        conversationId: row.payload.conversationId,
        request: row.payload.request,
      },
    }));
  }

  async signingSecret(db: Queryable, workspaceId: string): Promise<string | null> {
    const { rows } = await db.query<{ signing_secret: string | null }>(
      'select signing_secret from workspaces where id = $1',
      [workspaceId],
    );
    return rows[0]?.signing_secret ?? null;
  }
}
