import {
  API_KEY_ROLES,
  type ApiKey,
  type ApiKeyRole,
  type CreatedApiKey,
  Invalid,
  NotFound,
} from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { hashApiKey, newApiKey } from './api-key-format.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

const DAY_MS = 24 * 3600 * 1000;

/** A workspace's API keys: made by an admin (the key shown once), listed, revoked. */
export class ApiKeysService {
  constructor(
    private readonly api: ApiContext,
    private readonly keys: ApiKeysRepository,
  ) {}

  list(caller: Caller): Promise<ApiKey[]> {
    return this.keys.list(this.api.db, caller.workspaceId);
  }

  async create(
    caller: Caller,
    request: { name: string; role: string; expiresInDays?: number; expiresAt?: string },
  ): Promise<CreatedApiKey> {
    const role = keyRole(request.role);
    const name = request.name.trim();
    if (name === '') {
      throw new Invalid('Give the key a name that says what it is for.', [
        { pointer: '/body/name', message: 'Must not be blank.' },
      ]);
    }
    const expiresAt = expiry(request);
    const { key, prefix } = newApiKey();
    const apiKey = await this.api.db.transaction(async (tx) => {
      const created = await this.keys.create(tx, {
        workspaceId: caller.workspaceId,
        name,
        role,
        prefix,
        keyHash: hashApiKey(key),
        createdBy: caller.userId,
        expiresAt,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'api_key.create',
        entity: 'api_key',
        entityId: created.id,
        after: { name, role, prefix, expiresAt: created.expiresAt },
      });
      return created;
    });
    return { key, apiKey };
  }

  /** Revokes a key: refused at once on every API process. Revoking a revoked key changes nothing. */
  async revoke(caller: Caller, id: string): Promise<void> {
    const revoked = await this.api.db.transaction(async (tx) => {
      const key = await this.keys.lock(tx, caller.workspaceId, id);
      if (key === null) throw new NotFound('API key');
      if (key.revokedAt !== null) return false;
      await this.keys.revoke(tx, id);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'api_key.revoke',
        entity: 'api_key',
        entityId: id,
        before: { name: key.name, role: key.role, prefix: key.prefix },
      });
      return true;
    });
    if (revoked) await this.api.auth.apiKeyRevoked(id);
  }
}

function keyRole(role: string): ApiKeyRole {
  const allowed: readonly string[] = API_KEY_ROLES;
  if (allowed.includes(role)) return role as ApiKeyRole;
  throw new Invalid(
    role === 'admin'
      ? 'An API key cannot be an admin: keys never manage people, keys or the workspace. Choose viewer (read and export) or editor (also build and publish flows).'
      : 'Choose viewer (read and export) or editor (also build and publish flows) for the key’s role.',
    [{ pointer: '/body/role', message: 'Must be viewer or editor.' }],
  );
}

/** When the key stops working: never, after some days, or at a given time (in the future). */
function expiry(request: { expiresInDays?: number; expiresAt?: string }): Date | null {
  if (request.expiresInDays !== undefined && request.expiresAt !== undefined) {
    throw new Invalid('Give either expiresInDays or expiresAt, not both.', [
      { pointer: '/body/expiresAt', message: 'Leave this out when expiresInDays is given.' },
    ]);
  }
  if (request.expiresInDays !== undefined) return new Date(Date.now() + request.expiresInDays * DAY_MS);
  if (request.expiresAt === undefined) return null;
  const at = new Date(request.expiresAt);
  if (at.getTime() <= Date.now()) {
    throw new Invalid('The expiry is in the past: choose a later time, or none.', [
      { pointer: '/body/expiresAt', message: 'Must be in the future.' },
    ]);
  }
  return at;
}
