import type { ApiKey, ApiKeyRole } from '@parley/contract';
import type { Queryable } from '@parley/db';

/** What authenticating a request with a key needs. */
export interface KeyAccess {
  id: string;
  workspaceId: string;
  role: ApiKeyRole;
  createdBy: string;
  creatorEmail: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

interface KeyRow {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  email: string | null;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expired: boolean;
}

const COLUMNS = `k.id, k.name, k.role, k.prefix, u.email, k.created_at, k.expires_at, k.last_used_at, k.revoked_at,
  (k.expires_at is not null and k.expires_at <= now()) as expired`;

function toApiKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdBy: row.email,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    state: row.revoked_at !== null ? 'revoked' : row.expired ? 'expired' : 'active',
  };
}

/** A workspace's API keys, kept as hashes. */
export class ApiKeysRepository {
  async create(
    tx: Queryable,
    key: {
      workspaceId: string;
      name: string;
      role: ApiKeyRole;
      prefix: string;
      keyHash: string;
      createdBy: string;
      expiresAt: Date | null;
    },
  ): Promise<ApiKey> {
    const { rows } = await tx.query<KeyRow>(
      `with k as (
         insert into api_keys (workspace_id, name, role, prefix, key_hash, created_by, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning *)
       select ${COLUMNS} from k left join users u on u.id = k.created_by`,
      [key.workspaceId, key.name, key.role, key.prefix, key.keyHash, key.createdBy, key.expiresAt],
    );
    return toApiKey(rows[0] as KeyRow);
  }

  /** Newest first; revoked keys stay listed, so the admin sees what was revoked and when. */
  async list(db: Queryable, workspaceId: string): Promise<ApiKey[]> {
    const { rows } = await db.query<KeyRow>(
      `select ${COLUMNS} from api_keys k left join users u on u.id = k.created_by
       where k.workspace_id = $1 order by k.created_at desc, k.id`,
      [workspaceId],
    );
    return rows.map(toApiKey);
  }

  /** The workspace's key, locked until the transaction ends; null when it is not the workspace's. */
  async lock(tx: Queryable, workspaceId: string, id: string): Promise<ApiKey | null> {
    const { rows } = await tx.query<KeyRow>(
      `select ${COLUMNS} from api_keys k left join users u on u.id = k.created_by
       where k.workspace_id = $1 and k.id = $2 for update of k`,
      [workspaceId, id],
    );
    const row = rows[0];
    return row === undefined ? null : toApiKey(row);
  }

  async revoke(tx: Queryable, id: string): Promise<void> {
    await tx.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null', [id]);
  }

  async access(db: Queryable, keyHash: string): Promise<KeyAccess | null> {
    const { rows } = await db.query<{
      id: string;
      workspace_id: string;
      role: ApiKeyRole;
      created_by: string;
      email: string;
      expires_at: Date | null;
      revoked_at: Date | null;
    }>(
      `select k.id, k.workspace_id, k.role, k.created_by, u.email, k.expires_at, k.revoked_at
       from api_keys k join users u on u.id = k.created_by where k.key_hash = $1`,
      [keyHash],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          id: row.id,
          workspaceId: row.workspace_id,
          role: row.role,
          createdBy: row.created_by,
          creatorEmail: row.email,
          expiresAt: row.expires_at,
          revokedAt: row.revoked_at,
        };
  }

  /** Records a use, unless one was recorded in the last minute (by any API process). */
  async touch(db: Queryable, id: string): Promise<void> {
    await db.query(
      `update api_keys set last_used_at = now()
       where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
