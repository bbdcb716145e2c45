import { busChannels, type InboxActivity, subscribe } from '@parley/bus';
import type { InboxItem, InboxPerson, InboxSummary, InboxView } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { EventStream } from '../../http/sse.js';
import type { InboxRepository } from './inbox.repository.js';

/**
 * The inbox: the open hand-offs of a workspace, and a live stream of what happens in them. One bus
 * subscription per API process, made when the first inbox opens and kept, feeds every open inbox
 * of every workspace, rather than one subscription per browser tab.
 */
export class InboxService {
  private readonly listeners = new Map<string, Set<EventStream>>();
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
    const streams = this.listeners.get(caller.workspaceId) ?? new Set<EventStream>();
    this.listeners.set(caller.workspaceId, streams);
    streams.add(stream);
    stream.onClose(() => {
      streams.delete(stream);
      if (streams.size === 0 && this.listeners.get(caller.workspaceId) === streams)
        this.listeners.delete(caller.workspaceId);
    });
  }

  private subscribed(): Promise<unknown> {
    if (this.subscription === null) {
      const subscribing = subscribe(
        this.api.bus,
        busChannels.inboxActivity,
        (activity: InboxActivity) => {
          for (const stream of this.listeners.get(activity.workspaceId) ?? [])
            stream.send('activity', activity);
        },
        this.api.logger,
      );
      this.subscription = subscribing;
      // A failed subscription fails this stream (the client retries) and is tried again by the next.
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = null;
      });
    }
    return this.subscription;
  }
}
