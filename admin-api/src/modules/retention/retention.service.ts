import { busChannels, publish } from '@parley/bus';
import { Unavailable } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { MediaCleanup, MediaToDelete } from './media-cleanup.js';
import type { PurgeCounts, RetentionRepository } from './retention.repository.js';
import { withoutContact } from './without-contact.js';

/** Data retention: per-workspace expiry of old conversations, and erasure of one contact on request. */
export class RetentionService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: RetentionRepository,
    private readonly media: MediaCleanup,
  ) {}

  async get(caller: Caller): Promise<{ retentionDays: number | null }> {
    return { retentionDays: await this.repository.retentionDays(this.api.db, caller.workspaceId) };
  }

  async set(caller: Caller, days: number | null): Promise<{ retentionDays: number | null }> {
    await this.api.db.transaction(async (tx) => {
      const before = await this.repository.retentionDays(tx, caller.workspaceId);
      await this.repository.setRetentionDays(tx, caller.workspaceId, days);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'workspace.retention',
        entity: 'workspace',
        entityId: caller.workspaceId,
        before: { retentionDays: before },
        after: { retentionDays: days },
      });
    });
    return { retentionDays: days };
  }

  /**
   * Erases a contact (a data-subject request): conversations, messages, answers, engine state,
   * WhatsApp send records, mentions in number settings — then tells the runtimes to forget them
   * too (Redis state, simulator sent logs, in-process caches).
   */
  async purgeContact(caller: Caller, contact: string): Promise<PurgeCounts> {
    const { numberIds, files, ...counts } = await this.api.db.transaction(async (tx) => {
      // Media: the contact's files, named before their messages go.
      const files = await this.media.ofContact(tx, caller.workspaceId, contact);
      const purged = await this.repository.purgeContact(tx, caller.workspaceId, contact);
      for (const number of await this.repository.numberSettings(tx, caller.workspaceId)) {
        const scrubbed = withoutContact(number.settings, contact);
        if (JSON.stringify(scrubbed) !== JSON.stringify(number.settings))
          await this.repository.setNumberSettings(tx, number.id, scrubbed);
      }
      // Earlier audit entries may carry it too (the settings before and after a change).
      for (const entry of await this.repository.auditMentioning(tx, caller.workspaceId, contact)) {
        await this.repository.setAuditValues(
          tx,
          entry.id,
          withoutContact(entry.before, contact),
          withoutContact(entry.after, contact),
        );
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'contact.purge',
        entity: 'contact',
        // The audit keeps that a purge happened, not whose data it was.
        entityId: null,
        after: {
          conversations: purged.conversations,
          messages: purged.messages,
          responses: purged.responses,
        },
      });
      return { ...purged, files };
    });
    // Media: files go once the rows are gone; a retry of the erasure deletes the contact's folder again.
    if (!(await this.media.delete(files)))
      throw new Unavailable(
        'The contact’s conversations were erased, but some of their files could not be deleted from storage. Erase the contact again to delete the remaining files.',
      );
    for (const numberId of numberIds) {
      // The rows are gone already; runtimes that miss this keep the contact's hot state until it expires.
      await publish(this.api.bus, busChannels.contactPurged, { numberId, contact }).catch((error: unknown) =>
        this.api.logger.error(
          { err: error, numberId },
          'could not tell runtimes to drop an erased contact’s cached state',
        ),
      );
    }
    return counts;
  }

  /** One pass over every workspace with a retention setting; returns the total removed. */
  async runRetention(): Promise<PurgeCounts> {
    const total: PurgeCounts = { conversations: 0, messages: 0, responses: 0 };
    const files: MediaToDelete = { keys: [], prefixes: [] };
    await this.api.db.transaction(async (tx) => {
      if (!(await this.repository.tryLockRun(tx))) return;
      for (const workspace of await this.repository.workspacesWithRetention(tx)) {
        // Media: the expired conversations' files, named before their messages go.
        files.keys.push(...(await this.media.ofExpired(tx, workspace.id, workspace.days)).keys);
        const purged = await this.repository.purgeExpired(tx, workspace.id, workspace.days);
        if (purged.conversations + purged.messages === 0) continue;
        total.conversations += purged.conversations;
        total.messages += purged.messages;
        total.responses += purged.responses;
        await this.api.audit.record(tx, {
          workspaceId: workspace.id,
          userId: null,
          action: 'retention.purge',
          entity: 'workspace',
          entityId: workspace.id,
          after: { ...purged, olderThanDays: workspace.days },
        });
      }
    });
    // Media: deleted after the commit; a failure is logged by MediaCleanup and the files stay.
    await this.media.delete(files);
    return total;
  }

  /** Runs the retention pass now and then every `intervalMs`; returns a stop function. */
  schedule(intervalMs: number): () => void {
    const run = () =>
      this.runRetention().catch((error: unknown) =>
        this.api.logger.warn({ err: error }, 'retention pass failed'),
      );
    const first = setTimeout(run, 5_000);
    const timer = setInterval(run, intervalMs);
    first.unref();
    timer.unref();
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }
}
