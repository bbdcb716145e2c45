import type { Db, SecretCipher } from '@parley/db';
import { type CompiledFlow, compileFlow } from '@parley/engine';
import { isStoredSecret, mapHeaderValues } from '@parley/schemas';
import { LRUCache } from 'lru-cache';
import type { FlowRepository, NumberInfo, StoredVersion } from '../repositories/flow-repository.js';

export interface RunnableVersion {
  versionId: string;
  flowId: string;
  flow: CompiledFlow;
  /**
   * Encrypts a rendered request's headers for `pending_effects`, when the version's header values
   * are secrets (saved through the API); null for versions stored with plaintext headers.
   */
  sealHeaders: ((headers: Record<string, string>) => string) | null;
}

/**
 * Caches numbers' current versions and compiled flow versions (immutable once published, so kept
 * until evicted). A number's entry is dropped when the API announces a change, and expires after
 * `numberTtlMs` anyway: a notice this process missed (bus down, reconnecting) heals within that.
 * The edge where stored header values are decrypted: the engine only ever sees plaintext, and never
 * a key.
 */
export class FlowDirectory {
  private readonly numbers: LRUCache<string, Promise<NumberInfo | null>>;
  private readonly versions = new LRUCache<string, Promise<RunnableVersion | null>>({ max: 500 });

  constructor(
    private readonly db: Db,
    private readonly repository: FlowRepository,
    /** The header-value cipher (resolved on first use: PARLEY_SECRET_KEY may come from the data dir). */
    private readonly headerCipher: () => Promise<SecretCipher>,
    numberTtlMs: number,
  ) {
    this.numbers = new LRUCache({ max: 10_000, ttl: numberTtlMs });
  }

  number(numberId: string): Promise<NumberInfo | null> {
    let info = this.numbers.get(numberId);
    if (info === undefined) {
      info = this.repository.numberInfo(this.db, numberId);
      this.numbers.set(numberId, info);
      info.catch(() => this.numbers.delete(numberId));
    }
    return info;
  }

  version(versionId: string): Promise<RunnableVersion | null> {
    let version = this.versions.get(versionId);
    if (version === undefined) {
      version = this.repository.version(this.db, versionId).then(async (stored) => {
        if (stored === null) return null;
        const { definition, cipher } = await this.open(stored);
        return {
          versionId,
          flowId: stored.flowId,
          flow: compileFlow(definition),
          sealHeaders:
            cipher === null
              ? null
              : (headers: Record<string, string>) =>
                  cipher.sealText(JSON.stringify(headers), stored.workspaceId),
        };
      });
      this.versions.set(versionId, version);
      version.catch(() => this.versions.delete(versionId));
    }
    return version;
  }

  /** The definition with its header values in clear (a value no key opens fails the version, loudly). */
  private async open(stored: StoredVersion): Promise<{ definition: unknown; cipher: SecretCipher | null }> {
    let sealed = false;
    mapHeaderValues(stored.definition, (value) => {
      sealed ||= isStoredSecret(value);
      return value;
    });
    // Versions without saved secrets (flows written before them, the CLI's) need no key.
    if (!sealed) return { definition: stored.definition, cipher: null };
    const cipher = await this.headerCipher();
    const definition = mapHeaderValues(stored.definition, (value) =>
      isStoredSecret(value) ? cipher.openText(value.secret, stored.workspaceId) : value,
    );
    return { definition, cipher };
  }

  /** The version new conversations on a number start on, or null when none is published there. */
  async current(numberId: string): Promise<RunnableVersion | null> {
    const info = await this.number(numberId);
    return info?.current ? this.version(info.current.versionId) : null;
  }

  /** Forgets numbers' assignments; the next message reloads them from Postgres. */
  invalidate(): void {
    this.numbers.clear();
  }
}
