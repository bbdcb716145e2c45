import type { AiCredential, AiProviderKind } from '@parley/contract';
import type { Queryable } from '@parley/db';

/** A credential as the service uses it: the sealed key stays inside the API. */
export interface StoredAiCredential {
  credential: AiCredential;
  workspaceId: string;
  /** `sealed:…`, or null when no key is set. */
  sealedKey: string | null;
}

interface CredentialRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: AiProviderKind;
  base_url: string | null;
  api_key: string | null;
  default_model: string | null;
  created_at: Date;
  updated_at: Date;
}

function toStored(row: CredentialRow): StoredAiCredential {
  return {
    workspaceId: row.workspace_id,
    sealedKey: row.api_key,
    credential: {
      id: row.id,
      name: row.name,
      kind: row.kind,
      baseUrl: row.base_url,
      keySet: row.api_key !== null,
      defaultModel: row.default_model,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
  };
}

/** A workspace's AI provider credentials, keys sealed. */
export class AiCredentialsRepository {
  async list(db: Queryable, workspaceId: string): Promise<AiCredential[]> {
    const { rows } = await db.query<CredentialRow>(
      'select * from ai_credentials where workspace_id = $1 order by lower(name), id',
      [workspaceId],
    );
    return rows.map((row) => toStored(row).credential);
  }

  async find(
    db: Queryable,
    workspaceId: string,
    id: string,
    lock = false,
  ): Promise<StoredAiCredential | null> {
    const { rows } = await db.query<CredentialRow>(
      `select * from ai_credentials where workspace_id = $1 and id = $2${lock ? ' for update' : ''}`,
      [workspaceId, id],
    );
    const row = rows[0];
    return row === undefined ? null : toStored(row);
  }

  async nameTaken(db: Queryable, workspaceId: string, name: string, exceptId?: string): Promise<boolean> {
    const { rows } = await db.query(
      `select 1 from ai_credentials where workspace_id = $1 and lower(name) = lower($2)
         and ($3::uuid is null or id <> $3::uuid)`,
      [workspaceId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  async create(
    tx: Queryable,
    row: {
      id: string;
      workspaceId: string;
      name: string;
      kind: AiProviderKind;
      baseUrl: string | null;
      sealedKey: string | null;
      defaultModel: string | null;
      createdBy: string;
    },
  ): Promise<StoredAiCredential> {
    const { rows } = await tx.query<CredentialRow>(
      `insert into ai_credentials (id, workspace_id, name, kind, base_url, api_key, default_model, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
      [
        row.id,
        row.workspaceId,
        row.name,
        row.kind,
        row.baseUrl,
        row.sealedKey,
        row.defaultModel,
        row.createdBy,
      ],
    );
    return toStored(rows[0] as CredentialRow);
  }

  async update(
    tx: Queryable,
    id: string,
    row: { name: string; baseUrl: string | null; sealedKey: string | null; defaultModel: string | null },
  ): Promise<StoredAiCredential> {
    const { rows } = await tx.query<CredentialRow>(
      `update ai_credentials set name = $2, base_url = $3, api_key = $4, default_model = $5, updated_at = now()
       where id = $1 returning *`,
      [id, row.name, row.baseUrl, row.sealedKey, row.defaultModel],
    );
    return toStored(rows[0] as CredentialRow);
  }

  async delete(tx: Queryable, id: string): Promise<void> {
    await tx.query('delete from ai_credentials where id = $1', [id]);
  }
}
