import { busChannels, type InboxActivity, subscribe } from '@parley/bus';
import type { InboxItem, InboxPerson, InboxSummary, InboxView } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { EventStream } from '../../http/sse.js';
import type { InboxRepository } from './inbox.repository.js';

interface Listener {
  stream: EventStream;
  caller: Caller;
}

/**
 * The inbox: the open hand-offs of a workspace, and a live stream of what happens in them. One bus
 * subscription per API process (per channel), made when the first inbox opens and kept, feeds
 * every open inbox of every workspace, rather than one subscription per browser tab.
 */
export class InboxService {
  /** The open inbox streams of each workspace, with who opened them. */
  private readonly listeners = new Map<string, Set<Listener>>();
  private subscription: Promise<unknown> | null = null;

  constructor(
    private readonly api: ApiContext,
    private readonly repository: InboxRepository,
  ) {}

  list(caller: Caller, view: InboxView, includeTest: boolean): Promise<InboxItem[]> {
    return this.repository.list(this.api.db, caller.workspaceId, caller.userId, view, includeTest);
  }

  people(caller: Caller): Promise<InboxPerson[]> {
    return this.repository.people(this.api.db, caller.workspaceId);
  }

  summary(caller: Caller): Promise<InboxSummary> {
    return this.repository.summary(this.api.db, caller.workspaceId, caller.userId);
  }

  /** Streams the workspace's inbox activity (event `activity`) until the client goes away. */
  async stream(caller: Caller, open: () => EventStream): Promise<void> {
    await this.subscribed();
    const stream = open();
    const streams = this.listeners.get(caller.workspaceId) ?? new Set<Listener>();
    this.listeners.set(caller.workspaceId, streams);
    const listener = { stream, caller };
    streams.add(listener);
    stream.onClose(() => {
      streams.delete(listener);
      if (streams.size === 0 && this.listeners.get(caller.workspaceId) === streams)
        this.listeners.delete(caller.workspaceId);
    });
  }

  /**
   * Ends the open streams whose access ended (a session or an API key revoked on any API process):
   * they would go on hearing the workspace's hand-offs (ids and phone numbers).
   */
  private closeWhere(matches: (caller: Caller) => boolean): void {
    for (const streams of this.listeners.values())
      for (const { stream, caller } of [...streams]) if (matches(caller)) stream.close();
  }

  /**
   * A person's access changed (a role, a membership, an invitation accepted): their streams stay
   * open where they may still answer hand-offs and end where they may not.
   */
  private async recheck(userId: string): Promise<void> {
    for (const [workspaceId, streams] of this.listeners) {
      const theirs = [...streams].filter(
        ({ caller }) => caller.userId === userId && caller.apiKeyId === null,
      );
      if (theirs.length === 0) continue;
      const allowed = await this.repository
        .canAnswer(this.api.db, workspaceId, userId)
        .catch((error: unknown) => {
          // Unsure, the stream ends: a client still allowed reconnects and is checked again.
          this.api.logger.error(
            { err: error, userId, workspaceId },
            'could not check who may still hear the inbox',
          );
          return false;
        });
      if (!allowed) for (const { stream } of theirs) stream.close();
    }
  }

  private subscribed(): Promise<unknown> {
    if (this.subscription === null) {
      const { bus, logger } = this.api;
      const subscribing = Promise.all([
        subscribe(
          bus,
          busChannels.inboxActivity,
          (activity: InboxActivity) => {
            for (const { stream } of this.listeners.get(activity.workspaceId) ?? [])
              stream.send('activity', activity);
          },
          logger,
        ),
        subscribe(bus, busChannels.accessChanged, ({ userId }) => void this.recheck(userId), logger),
        subscribe(
          bus,
          busChannels.sessionRevoked,
          ({ sessionId }) => this.closeWhere((caller) => caller.sessionId === sessionId),
          logger,
        ),
        subscribe(
          bus,
          busChannels.apiKeyRevoked,
          ({ keyId }) => this.closeWhere((caller) => caller.apiKeyId === keyId),
          logger,
        ),
      ]);
      this.subscription = subscribing;
      // A failed subscription fails this stream (the client retries) and is tried again by the next.
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = null;
      });
    }
    return this.subscription;
  }
}
