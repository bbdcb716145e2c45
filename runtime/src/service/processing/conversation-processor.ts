import { Batcher, type Db, isDataError } from '@parley/db';
import type { AiCallEffect, EngineEvent, HttpRequestEffect, TurnNote } from '@parley/engine';
import {
  type ContactState,
  type Conversation,
  initialState,
  isOngoing,
  nextTimerAt,
  step,
} from '@parley/engine';
import { storableJson } from '@parley/schemas';
import type { InboundMessage } from '../channels/channel.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import type { Locker } from '../ports/locker.js';
import type { StateStore, VersionedState } from '../ports/state-store.js';
import {
  type Checkpoint,
  type CheckpointRepository,
  type ConversationRow,
  type OutboundRow,
  VersionConflictError,
} from '../repositories/checkpoint-repository.js';
import type { ContactStateRepository } from '../repositories/contact-state-repository.js';
import type { InboundRow, InboxRepository, PendingInbound } from '../repositories/inbox-repository.js';

import { CheckpointBuilder, type InboxChange } from './checkpoint-builder.js';
import { conversationUuid } from './conversation-id.js';
import type { FlowDirectory, RunnableVersion } from './flow-directory.js';
import { inboundBody, inboundEvent, isStaleInbound } from './inbound-event.js';
import { ShuttingDownError, UnknownNumberError } from './processing-errors.js';
import { retrying } from './retrying.js';

export interface ContactKey {
  numberId: string;
  contact: string;
}

/** What happened in a committed checkpoint that other parts act on (send, call, wake up). */
export interface Committed {
  key: ContactKey;
  workspaceId: string;
  channel: 'whatsapp' | 'simulator';
  /** Ids of the inbound message rows this checkpoint handled. */
  inboundIds: number[];
  /** The replies this checkpoint queued, in order (not the agent messages it recorded as failed). */
  outbound: OutboundRow['body'][];
  /** What happened to hand-offs in this checkpoint, in order, for the live inbox. */
  inboxActivity: InboxChange[];
  /** The contact's current conversation as written, or null when the checkpoint did not touch one. */
  conversation: Pick<ConversationRow, 'status' | 'answers' | 'variables'> | null;
  httpRequests: HttpRequestEffect[];
  /** Model calls of AI blocks, made after the commit like `httpRequests`. */
  aiCalls: AiCallEffect[];
  /** What the admin should know about the checkpoint's steps, placed among `outbound`. */
  notes: TurnNote[];
  timerDueAt: number | null;
}

export interface ProcessorDeps {
  db: Db;
  stateStore: StateStore;
  locker: Locker;
  directory: FlowDirectory;
  inbox: InboxRepository;
  states: ContactStateRepository;
  checkpoints: CheckpointRepository;
  metrics: RuntimeMetrics;
  logger: Logger;
  onCommitted: (committed: Committed) => void;
  now?: () => number;
  /** A turn of the engine taking at least this long is logged with its conversation and node. */
  slowTurnMs: number;
}

interface Scheduled {
  dirty: boolean;
  extra: EngineEvent[];
  running: Promise<void> | null;
}

const keyOf = (key: ContactKey) => `${key.numberId}:${key.contact}`;

/**
 * The conversation pipeline: inbound is recorded once (dedupe by channel id), then each contact's
 * events are drained strictly in order under that contact's lock: load state (hot store, else the
 * Postgres checkpoint), run the engine, and commit the checkpoint, messages and answers in one
 * transaction batched with other contacts'. Different contacts run in parallel.
 */
export class ConversationProcessor {
  private readonly scheduled = new Map<string, Scheduled>();
  private readonly arrivals = new Map<number, number>();
  private readonly ingest: Batcher<InboundRow, number | null>;
  private readonly loadInbox: Batcher<ContactKey, PendingInbound[]>;
  private readonly loadStates: Batcher<ContactKey, VersionedState | null>;
  /** Resolves with null once committed, or with the conflict that kept the checkpoint out. */
  private readonly commit: Batcher<Checkpoint, VersionConflictError | null>;
  private readonly now: () => number;
  private stopping = false;

  constructor(private readonly deps: ProcessorDeps) {
    this.now = deps.now ?? Date.now;
    // A message Postgres refuses fails alone, not the batch of messages it arrived with.
    this.ingest = new Batcher((rows) => deps.inbox.insert(deps.db, rows), 250, 1, isDataError);
    this.loadInbox = new Batcher(async (keys) => {
      const byKey = new Map<string, PendingInbound[]>();
      for (const row of await deps.inbox.pending(deps.db, keys)) {
        const id = keyOf(row);
        const rows = byKey.get(id);
        if (rows === undefined) byKey.set(id, [row]);
        else rows.push(row);
      }
      return keys.map((key) => byKey.get(keyOf(key)) ?? []);
    });
    this.loadStates = new Batcher(async (keys) => {
      const states = await deps.states.load(deps.db, keys);
      return keys.map((key) => states.get(keyOf(key)) ?? null);
    });
    this.commit = new Batcher(
      async (checkpoints) => {
        deps.metrics.checkpointBatch.observe(checkpoints.length);
        // One statement, atomic by itself; a contact that lost its version check is left out of
        // it (nothing of its checkpoint written) without failing the others of the batch.
        const lost = new Set(await deps.checkpoints.write(deps.db, checkpoints));
        return checkpoints.map((cp) => {
          const key = keyOf(cp);
          return lost.has(key) ? new VersionConflictError([key]) : null;
        });
      },
      250,
      // A batch holds distinct contacts and a contact is in one drain at a time, so batches may
      // commit in any order: at saturation two run at once.
      2,
      isDataError,
    );
  }

  /** Records an inbound message durably, then handles it in the background. */
  async receive(received: InboundMessage): Promise<'accepted' | 'duplicate'> {
    if (this.stopping) throw new ShuttingDownError();
    // Every channel comes through here: text Postgres cannot store is made storable once, for all.
    const message = storableJson(received);
    const info = await this.deps.directory.number(message.numberId);
    if (info === null) throw new UnknownNumberError(message.numberId);
    const row: InboundRow = {
      workspaceId: info.workspaceId,
      numberId: message.numberId,
      contact: message.contact,
      waMessageId: message.id,
      type: message.media !== undefined ? 'media' : message.location !== undefined ? 'location' : 'text',
      body: inboundBody(message),
    };
    const id = await retrying(() => this.ingest.submit(row), {
      what: 'record an inbound message',
      logger: this.deps.logger,
      metrics: this.deps.metrics,
      giveUpAfterMs: 30_000,
    });
    this.deps.metrics.inbound.inc({ result: id === null ? 'duplicate' : 'accepted' });
    if (id === null) return 'duplicate';
    this.arrivals.set(id, this.now());
    this.schedule({ numberId: message.numberId, contact: message.contact });
    return 'accepted';
  }

  /**
   * Drains a contact's pending events (plus `extra` ones such as timers and http results) under
   * its lock. Calls for a contact already being drained coalesce into one more pass.
   */
  schedule(key: ContactKey, extra: EngineEvent[] = []): void {
    const id = keyOf(key);
    let entry = this.scheduled.get(id);
    if (entry === undefined) {
      entry = { dirty: false, extra: [], running: null };
      this.scheduled.set(id, entry);
    }
    entry.dirty = true;
    entry.extra.push(...extra);
    if (entry.running === null) this.kick(key, id, entry);
  }

  private kick(key: ContactKey, id: string, entry: Scheduled): void {
    entry.running = this.run(key, entry).finally(() => {
      entry.running = null;
      if (entry.dirty) this.kick(key, id, entry);
      else if (this.scheduled.get(id) === entry) this.scheduled.delete(id);
    });
  }

  /** Resolves once no contact has work scheduled or running. */
  async idle(): Promise<void> {
    while (this.scheduled.size > 0) {
      await Promise.allSettled([...this.scheduled.values()].map((entry) => entry.running));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Contacts with work scheduled or running (graceful shutdown waits for them). */
  get inFlight(): number {
    return this.scheduled.size;
  }

  /** Refuses new inbound and waits for the work in flight to be committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  queueDepths(): Record<string, number> {
    return { ingest: this.ingest.depth, checkpoint: this.commit.depth, contacts: this.scheduled.size };
  }

  private async run(key: ContactKey, entry: Scheduled): Promise<void> {
    while (entry.dirty) {
      entry.dirty = false;
      const extra = entry.extra.splice(0);
      try {
        await retrying(() => this.deps.locker.withLock(keyOf(key), () => this.drain(key, extra)), {
          what: `process messages of ${keyOf(key)}`,
          logger: this.deps.logger,
          metrics: this.deps.metrics,
          onConflict: () => this.deps.stateStore.delete(keyOf(key)),
        });
      } catch (error) {
        this.deps.metrics.errors.inc({ kind: 'processing' });
        this.deps.logger.error(
          { err: error, numberId: key.numberId, contact: key.contact },
          'could not process messages',
        );
      }
    }
  }

  private async loadState(key: ContactKey): Promise<VersionedState> {
    const hot = await this.deps.stateStore.get(keyOf(key)).catch(() => null);
    if (hot !== null) return hot;
    return (await this.loadStates.submit(key)) ?? { state: initialState(), version: 0, flowVersionId: null };
  }

  /** The version a step runs on: the pinned one while a conversation is ongoing, else the current one. */
  private async versionFor(
    numberId: string,
    state: ContactState,
    pinned: string | null,
  ): Promise<RunnableVersion | null> {
    if (isOngoing(state.conversation) && pinned !== null) {
      const version = await this.deps.directory.version(pinned);
      if (version !== null) return version;
    }
    return this.deps.directory.current(numberId);
  }

  /**
   * The engine runs one contact's turn synchronously: a slow turn holds every contact of this
   * process. Logged so the conversation and node behind it can be found.
   */
  private logIfSlow(
    durationMs: number,
    key: ContactKey,
    event: EngineEvent,
    before: Conversation | null,
    after: Conversation | null,
  ): void {
    if (durationMs < this.deps.slowTurnMs) return;
    const engineId = after?.id ?? before?.id;
    this.deps.logger.warn(
      {
        numberId: key.numberId,
        conversationId: engineId === undefined ? null : conversationUuid(key.numberId, engineId),
        nodeId: before?.wait?.nodeId ?? null,
        stoppedAtNodeId: after?.wait?.nodeId ?? null,
        event: event.type,
        durationMs: Math.round(durationMs),
      },
      'slow turn: the engine took long to handle one event',
    );
  }

  private async drain(key: ContactKey, extra: EngineEvent[]): Promise<void> {
    const pending = await this.loadInbox.submit(key);
    if (pending.length === 0 && extra.length === 0) return;
    const info = await this.deps.directory.number(key.numberId);
    if (info === null) throw new UnknownNumberError(key.numberId);
    const loaded = await this.loadState(key);
    const builder = new CheckpointBuilder({
      workspaceId: info.workspaceId,
      numberId: key.numberId,
      contact: key.contact,
      isTest: info.channel === 'simulator',
      expectedVersion: loaded.version,
    });
    let state = loaded.state;
    let pinned = loaded.flowVersionId;
    let timerFlow: RunnableVersion | null = null;
    const httpRequests: HttpRequestEffect[] = [];
    const aiCalls: AiCallEffect[] = [];
    const notes: TurnNote[] = [];
    let sent = 0;
    const stale = pending.filter(isStaleInbound);
    for (const row of stale) {
      builder.skip(row.id);
      this.deps.logger.info(
        { numberId: key.numberId, contact: key.contact, messageId: row.waMessageId },
        'message too old to answer; recorded only',
      );
    }
    // Keeps the conversation's timer when only stale messages are handled (null would clear it).
    if (stale.length > 0) timerFlow = await this.versionFor(key.numberId, state, pinned);
    const events: { event: EngineEvent; inboundId: number | null }[] = [
      ...pending
        .filter((row) => !isStaleInbound(row))
        .map((row) => ({ event: inboundEvent(row), inboundId: row.id })),
      ...extra.map((event) => ({ event, inboundId: null })),
    ];
    for (const { event, inboundId } of events) {
      const now = this.now();
      const version = await this.versionFor(key.numberId, state, pinned);
      if (version === null) {
        if (inboundId !== null) builder.skip(inboundId);
        this.deps.logger.info(
          { numberId: key.numberId, contact: key.contact },
          'no published flow on this number; message not answered',
        );
        continue;
      }
      const before = state.conversation;
      const started = performance.now();
      const result = step(version.flow, state, event, now, { businessHours: info.businessHours });
      this.logIfSlow(performance.now() - started, key, event, before, result.state.conversation);
      if (result.state.conversation !== null && result.state.conversation.id !== before?.id)
        pinned = version.versionId;
      builder.absorb(event, inboundId, before, result, version, now);
      for (const line of result.log) {
        const engineId = result.state.conversation?.id;
        this.deps.logger.debug(
          {
            conversationId: engineId === undefined ? null : conversationUuid(key.numberId, engineId),
            engineId,
            numberId: key.numberId,
          },
          line,
        );
      }
      // A step's notes count its own messages; the checkpoint's queue has the earlier steps' first.
      notes.push(...result.notes.map((note) => ({ ...note, after: sent + note.after })));
      sent += result.outbound.length;
      httpRequests.push(
        ...result.effects.filter((effect): effect is HttpRequestEffect => effect.type === 'http_request'),
      );
      aiCalls.push(...result.effects.filter((effect): effect is AiCallEffect => effect.type === 'ai_call'));
      state = result.state;
      timerFlow = version;
    }
    const timerDueAt = timerFlow === null ? null : nextTimerAt(timerFlow.flow, state);
    const checkpoint = builder.build(state, pinned, timerDueAt);
    const conflict = await this.commit.submit(checkpoint).catch((error: unknown) => {
      if (!isDataError(error)) throw error;
      return error;
    });
    if (conflict instanceof VersionConflictError) throw conflict;
    if (conflict !== null) {
      await this.refuseUnstorable(key, pending, conflict);
      return;
    }
    const committedAt = this.now();
    for (const row of pending) {
      // Messages this process did not receive (the API's, another runtime's) count from their row.
      const arrived = this.arrivals.get(row.id) ?? row.receivedAt;
      this.deps.metrics.stepLatency.observe(Math.max(0, committedAt - arrived) / 1000);
      this.arrivals.delete(row.id);
    }
    await this.deps.stateStore
      .set(keyOf(key), { state, version: loaded.version + 1, flowVersionId: pinned })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not cache conversation state'));
    const current = checkpoint.conversations.find((row) => row.id === checkpoint.conversationId);
    this.deps.onCommitted({
      key,
      workspaceId: info.workspaceId,
      channel: info.channel,
      inboundIds: pending.map((row) => row.id),
      outbound: checkpoint.outbound.filter((row) => row.status === undefined).map((row) => row.body),
      inboxActivity: builder.inboxActivity,
      conversation:
        current === undefined
          ? null
          : { status: current.status, answers: current.answers, variables: current.variables },
      httpRequests,
      aiCalls,
      notes,
      timerDueAt,
    });
  }

  /**
   * Postgres refused this checkpoint for its data (retrying the same write cannot succeed): its
   * messages are marked failed with the reason instead of being retried forever. An http result
   * in it stays pending and is re-run within its attempts.
   */
  private async refuseUnstorable(key: ContactKey, pending: PendingInbound[], error: unknown): Promise<void> {
    this.deps.metrics.errors.inc({ kind: 'unstorable' });
    this.deps.logger.error(
      { err: error, numberId: key.numberId, contact: key.contact },
      'the conversation step could not be stored; its messages are marked failed',
    );
    const reason = `The database refused this step: ${error instanceof Error ? error.message : String(error)}`;
    await this.deps.inbox.markFailed(
      this.deps.db,
      pending.map((row) => row.id),
      reason.slice(0, 1000),
    );
    for (const row of pending) this.arrivals.delete(row.id);
  }
}
