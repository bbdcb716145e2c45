import { type Bus, busChannels, publish, type SessionUpdate } from '@parley/bus';
import type { SessionReason } from '@parley/contract';
import type { Db } from '@parley/db';
import type { Logger } from '../../ops/logger.js';
import type { ConnectionState } from './connection-state.js';
import type { ConnectionStateRepository } from './connection-state-repository.js';

/**
 * Persists and publishes connection transitions: a `session_events` row and `numbers.state` in one
 * transaction, then the bus. `numbers.state` is only written while the writer's fence is current,
 * so an owner that lost the number cannot overwrite what the new owner reports.
 */
export class ConnectionRecorder {
  constructor(
    private readonly deps: {
      db: Db;
      bus: Bus;
      connections: ConnectionStateRepository;
      owner: string;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * Records a transition, or a new reason within the same state (a retry), then announces it with
   * the reason and, while retrying, when the next attempt starts.
   */
  async transition(
    numberId: string,
    change: { state: ConnectionState; detail?: string; reason: SessionReason | null; retryAt?: number },
    fence: number | null,
  ): Promise<void> {
    const current = await this.deps.connections.record(this.deps.db, numberId, {
      state: change.state,
      detail: change.detail,
      reason: change.reason,
      owner: this.deps.owner,
      fence,
    });
    if (current) await this.announce({ numberId, ...change });
  }

  /** Publishes without persisting (QR codes, pairing codes, the state again on a connect request). */
  async announce(update: Omit<SessionUpdate, 'at'>): Promise<void> {
    await publish(this.deps.bus, busChannels.session(update.numberId), { ...update, at: this.now() }).catch(
      (error: unknown) =>
        this.deps.logger.warn(
          { err: error, numberId: update.numberId },
          'could not publish a session update',
        ),
    );
  }
}
