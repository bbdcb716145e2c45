import type { Queryable, SecretCipher } from '@parley/db';
import type { HttpRequestEffect } from '@parley/engine';

export interface PendingEffect {
  numberId: string;
  contact: string;
  workspaceId: string;
  effect: HttpRequestEffect;
}

/** A pending call's request as stored: headers encrypted when the flow's header values are secrets. */
type StoredRequest = HttpRequestEffect['request'] & { sealedHeaders?: string };

/** http_request calls that were decided but not answered yet, with their attempts so far. */
export class EffectRepository {
  constructor(
    /** The header-value cipher, resolved only when a stored request has encrypted headers. */
    private readonly headerCipher: () => Promise<SecretCipher>,
  ) {}

  /**
   * Counts one more attempt of a call and returns the count, or null when there is nothing to
   * attempt: the call was answered already, or (with `staleMs`) another runtime attempted it
   * within that time. The count is written before the call is made, so an attempt cut off by a
   * crash counts too.
   */
  async beginAttempt(db: Queryable, requestId: string, staleMs: number | null): Promise<number | null> {
    const { rows } = await db.query<{ attempts: number }>(
      `update pending_effects set attempts = attempts + 1, last_attempt_at = now()
       where request_id = $1
         and ($2::double precision is null
           or coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $2::double precision / 1000))
       returning attempts`,
      [requestId, staleMs],
    );
    return rows[0]?.attempts ?? null;
  }

  /** Calls whose last attempt (or creation) is older than `olderThanMs`: cut off by a crash. */
  async stale(db: Queryable, olderThanMs: number, limit: number): Promise<PendingEffect[]> {
    const { rows } = await db.query<{
      request_id: string;
      number_id: string;
      contact: string;
      workspace_id: string;
      payload: { request: StoredRequest; nodeId: string; conversationId: string };
    }>(
      `select request_id, number_id, contact, workspace_id, payload from pending_effects
       where coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
       order by created_at limit $2`,
      [olderThanMs, limit],
    );
    const pending: PendingEffect[] = [];
    for (const row of rows) {
      pending.push({
        numberId: row.number_id,
        contact: row.contact,
        workspaceId: row.workspace_id,
        effect: {
          type: 'http_request',
          requestId: row.request_id,
          nodeId: row.payload.nodeId,
          conversationId: row.payload.conversationId,
          request: await this.openRequest(row.payload.request, row.workspace_id),
        },
      });
    }
    return pending;
  }

  private async openRequest(
    stored: StoredRequest,
    workspaceId: string,
  ): Promise<HttpRequestEffect['request']> {
    const { sealedHeaders, ...request } = stored;
    if (sealedHeaders === undefined) return request;
    const cipher = await this.headerCipher();
    return { ...request, headers: JSON.parse(cipher.openText(sealedHeaders, workspaceId)) };
  }

  async signingSecret(db: Queryable, workspaceId: string): Promise<string | null> {
    const { rows } = await db.query<{ signing_secret: string | null }>(
      'select signing_secret from workspaces where id = $1',
      [workspaceId],
    );
    return rows[0]?.signing_secret ?? null;
  }
}
