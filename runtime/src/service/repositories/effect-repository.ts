import type { Queryable, SecretCipher } from '@parley/db';
import type { AiCallEffect, HttpRequestEffect } from '@parley/engine';

/** The effects kept in `pending_effects` until answered. */
export type StoredEffect = HttpRequestEffect | AiCallEffect;

export interface PendingEffect {
  numberId: string;
  contact: string;
  workspaceId: string;
  effect: StoredEffect;
}

/** A pending call's request as stored: headers encrypted when the flow's header values are secrets. */
type StoredRequest = HttpRequestEffect['request'] & { sealedHeaders?: string };
/** A pending model call as stored: its tool headers encrypted likewise. */
export type StoredAiCall = AiCallEffect['call'] & { sealedHeaders?: string };

/**
 * `pending_effects.payload`, discriminated by `type` (rows from before AI blocks have none: they
 * are http requests).
 */
export type EffectPayload =
  | { type?: 'http_request'; request: StoredRequest; nodeId: string; conversationId: string }
  | { type: 'ai_call'; call: StoredAiCall; nodeId: string; conversationId: string };

/** http_request and ai_call effects that were decided but not answered yet, with their attempts so far. */
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
      payload: EffectPayload;
    }>(
      `select request_id, number_id, contact, workspace_id, payload from pending_effects
       where coalesce(last_attempt_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
       order by created_at limit $2`,
      [olderThanMs, limit],
    );
    const pending: PendingEffect[] = [];
    for (const row of rows) {
      const { payload } = row;
      const ids = {
        requestId: row.request_id,
        nodeId: payload.nodeId,
        conversationId: payload.conversationId,
      };
      pending.push({
        numberId: row.number_id,
        contact: row.contact,
        workspaceId: row.workspace_id,
        effect:
          payload.type === 'ai_call'
            ? { type: 'ai_call', ...ids, call: await this.openCall(payload.call, row.workspace_id) }
            : {
                type: 'http_request',
                ...ids,
                request: await this.openRequest(payload.request, row.workspace_id),
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
    return { ...request, headers: await this.openHeaders(sealedHeaders, workspaceId) };
  }

  private async openCall(stored: StoredAiCall, workspaceId: string): Promise<AiCallEffect['call']> {
    const { sealedHeaders, ...call } = stored;
    if (sealedHeaders === undefined) return call;
    return { ...call, headers: await this.openHeaders(sealedHeaders, workspaceId) };
  }

  private async openHeaders(sealed: string, workspaceId: string): Promise<Record<string, string>> {
    const cipher = await this.headerCipher();
    return JSON.parse(cipher.openText(sealed, workspaceId));
  }

  async signingSecret(db: Queryable, workspaceId: string): Promise<string | null> {
    const { rows } = await db.query<{ signing_secret: string | null }>(
      'select signing_secret from workspaces where id = $1',
      [workspaceId],
    );
    return rows[0]?.signing_secret ?? null;
  }
}
