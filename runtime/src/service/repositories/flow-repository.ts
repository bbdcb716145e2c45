import type { Queryable } from '@parley/db';
import type { BusinessHours } from '@parley/schemas';

export interface NumberInfo {
  numberId: string;
  workspaceId: string;
  channel: 'whatsapp' | 'simulator';
  /** What admins set on the number (PATCH /numbers/{id}), such as its send pace. */
  settings: Record<string, unknown>;
  /** The version answering on this number: its pinned one (simulator sessions), else the published one. */
  current: { flowId: string; versionId: string } | null;
  /** When the workspace's people answer hand-offs (null: always). */
  businessHours: BusinessHours | null;
}

export interface StoredVersion {
  versionId: string;
  flowId: string;
  workspaceId: string;
  /** As stored: http_request header values encrypted (see FlowDirectory). */
  definition: unknown;
}

/** Reads which flow version answers on a number, and version definitions. */
export class FlowRepository {
  async numberInfo(db: Queryable, numberId: string): Promise<NumberInfo | null> {
    const { rows } = await db.query<{
      workspace_id: string;
      channel: 'whatsapp' | 'simulator';
      settings: Record<string, unknown>;
      flow_id: string | null;
      version_id: string | null;
      business_hours: BusinessHours | null;
    }>(
      `select n.workspace_id, n.channel, n.settings, w.business_hours,
         coalesce(pinned.flow_id, nf.flow_id) as flow_id, coalesce(pinned.id, fv.id) as version_id
       from numbers n
       join workspaces w on w.id = n.workspace_id
       left join flow_versions pinned on pinned.id = n.pinned_version_id
       left join number_flows nf on nf.number_id = n.id
       left join flow_versions fv on fv.flow_id = nf.flow_id and fv.status = 'published'
       where n.id = $1`,
      [numberId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      numberId,
      workspaceId: row.workspace_id,
      channel: row.channel,
      settings: row.settings,
      current:
        row.flow_id !== null && row.version_id !== null
          ? { flowId: row.flow_id, versionId: row.version_id }
          : null,
      businessHours: row.business_hours,
    };
  }

  async version(db: Queryable, versionId: string): Promise<StoredVersion | null> {
    const { rows } = await db.query<{
      id: string;
      flow_id: string;
      workspace_id: string;
      definition: unknown;
    }>('select id, flow_id, workspace_id, definition from flow_versions where id = $1', [versionId]);
    const row = rows[0];
    return row === undefined
      ? null
      : { versionId: row.id, flowId: row.flow_id, workspaceId: row.workspace_id, definition: row.definition };
  }
}
