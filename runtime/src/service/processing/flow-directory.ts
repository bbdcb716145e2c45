import type { Db } from '@parley/db';
import { LRUCache } from 'lru-cache';
import { type CompiledFlow, compileFlow } from '../../engine/compile-flow.js';
import type { FlowRepository, NumberInfo } from '../repositories/flow-repository.js';

export interface RunnableVersion {
  versionId: string;
  flowId: string;
  flow: CompiledFlow;
}

/**
 * Caches numbers' current versions (dropped when the API announces a change) and compiled flow
 * versions (immutable once published, so kept until evicted).
 */
export class FlowDirectory {
  private readonly numbers = new Map<string, Promise<NumberInfo | null>>();
  private readonly versions = new LRUCache<string, Promise<RunnableVersion | null>>({ max: 500 });

  constructor(
    private readonly db: Db,
    private readonly repository: FlowRepository,
  ) {}

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
      version = this.repository
        .version(this.db, versionId)
        .then((stored) =>
          stored === null ? null : { versionId, flowId: stored.flowId, flow: compileFlow(stored.definition) },
        );
      this.versions.set(versionId, version);
      version.catch(() => this.versions.delete(versionId));
    }
    return version;
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
