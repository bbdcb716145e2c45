import { randomUUID } from 'node:crypto';
import { Batcher, busChannels, type SimulatorTurn } from '@parley/db';
import { LRUCache } from 'lru-cache';
import type { ApiContext } from '../../api-context.js';
import { notFound, timedOut } from '../../errors/domain-errors.js';
import type { Caller } from '../../http/route.js';
import type { FlowsService } from '../flows/flows.service.js';
import type {
  InboundMessageRow,
  SessionRecord,
  SimulatorRepository,
  StoredMessage,
} from './simulator.repository.js';
import { TurnWaiter } from './turn-waiter.js';

/** The contact a session talks as when none is given (a fictional number). */
export const DEFAULT_SIMULATOR_CONTACT = '+15555550100';
export const DEFAULT_TURN_TIMEOUT_MS = 15_000;

/** A bot message as the simulator shows it. */
export interface BotMessage {
  text: string;
  choices?: unknown[];
  media?: Record<string, unknown>;
  render?: 'list' | 'poll';
}

export interface TranscriptEntry extends BotMessage {
  direction: 'in' | 'out';
  status: string;
  at: string;
}

export interface SessionView {
  id: string;
  flowId: string;
  version: number | 'draft';
  contact: { phone: string; name?: string };
  messages: TranscriptEntry[];
  status: string;
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

function botMessage(body: Record<string, unknown>): BotMessage {
  const { text, choices, media, render } = body;
  return {
    text: typeof text === 'string' ? text : '',
    ...(Array.isArray(choices) ? { choices } : {}),
    ...(media !== null && typeof media === 'object' ? { media: media as Record<string, unknown> } : {}),
    ...(render === 'list' || render === 'poll' ? { render } : {}),
  };
}

function transcriptEntry(message: StoredMessage): TranscriptEntry {
  return {
    direction: message.direction,
    ...botMessage(message.body),
    status: message.status,
    at: message.createdAt,
  };
}

const sessionKey = (caller: Caller, sessionId: string) => `${caller.workspaceId} ${sessionId}`;

/** The reply as the runtime's turn events carried it, or null when they did not carry all of it. */
function replyFromTurns(turns: SimulatorTurn[]) {
  const conversation = turns.at(-1)?.conversation;
  if (conversation === undefined || conversation === null) return null;
  const messages: BotMessage[] = [];
  for (const turn of turns) {
    if (!Array.isArray(turn.replies)) return null;
    messages.push(...turn.replies.map(botMessage));
  }
  return { messages, ...conversation };
}

/**
 * The live test: a session is a hidden simulator number pinned to a draft snapshot (or a chosen
 * version). Messages go through the same inbox, runtime, engine and checkpoints as production;
 * the session's conversations and answers are stored as test data.
 */
export class SimulatorService {
  private readonly sessions = new LRUCache<string, SessionRecord>({ max: 5_000, ttl: 10 * 60_000 });
  /** Messages sent while an insert runs go to Postgres together in the next one. */
  private readonly inbox: Batcher<InboundMessageRow, number | null>;

  constructor(
    private readonly api: ApiContext,
    private readonly repository: SimulatorRepository,
    private readonly flows: FlowsService,
    private readonly turnTimeoutMs = DEFAULT_TURN_TIMEOUT_MS,
  ) {
    this.inbox = new Batcher((rows) => repository.insertInbound(api.db, rows));
  }

  async create(
    caller: Caller,
    flowId: string,
    version: number | 'draft',
    contact: { name?: string; phone?: string },
  ): Promise<SessionView> {
    const versionId = await this.flows.runnableVersion(caller, flowId, version);
    const id = randomUUID();
    const phone = contact.phone ?? DEFAULT_SIMULATOR_CONTACT;
    await this.api.db.transaction(async (tx) => {
      await this.repository.create(tx, caller.workspaceId, {
        id,
        versionId,
        contact: phone,
        contactName: contact.name ?? null,
        createdBy: caller.userId,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'simulator.start',
        entity: 'simulator_session',
        entityId: id,
        after: { flowId, version },
      });
    });
    return {
      id,
      flowId,
      version,
      contact: { phone, ...(contact.name === undefined ? {} : { name: contact.name }) },
      messages: [],
      status: 'none',
      answers: {},
      variables: {},
    };
  }

  /** A session never changes once created, so a chat's messages look it up once. */
  private async session(caller: Caller, sessionId: string): Promise<SessionRecord> {
    const key = sessionKey(caller, sessionId);
    const cached = this.sessions.get(key);
    if (cached !== undefined) return cached;
    const session = await this.repository.get(this.api.db, caller.workspaceId, sessionId);
    if (session === null) throw notFound('Simulator session');
    this.sessions.set(key, session);
    return session;
  }

  private async outcome(session: SessionRecord) {
    const conversation = await this.repository.latestConversation(this.api.db, session.id, session.contact);
    return {
      status: conversation?.status ?? 'none',
      answers: conversation?.answers ?? {},
      variables: conversation?.variables ?? {},
    };
  }

  async get(caller: Caller, sessionId: string): Promise<SessionView> {
    const session = await this.session(caller, sessionId);
    const messages = await this.repository.messages(this.api.db, session.id, session.contact);
    return {
      id: session.id,
      flowId: session.flowId,
      version: session.version === 0 ? 'draft' : session.version,
      contact: {
        phone: session.contact,
        ...(session.contactName === null ? {} : { name: session.contactName }),
      },
      messages: messages.map(transcriptEntry),
      ...(await this.outcome(session)),
    };
  }

  /**
   * Sends the contact's message and waits for the runtime's answer: the bot messages the turn
   * produced (and those after its http calls), then the conversation's status, answers and variables.
   */
  async send(caller: Caller, sessionId: string, text: string) {
    const session = await this.session(caller, sessionId);
    const waiter = await TurnWaiter.start({
      bus: this.api.bus,
      numberId: session.id,
      contact: session.contact,
      settled: (inboundId) =>
        this.repository.turnSettled(this.api.db, session.id, session.contact, inboundId),
    });
    let inboundId: number | null;
    let turns: SimulatorTurn[] | null;
    try {
      inboundId = await this.inbox.submit({
        workspaceId: caller.workspaceId,
        numberId: session.id,
        contact: session.contact,
        waMessageId: `sim-in-${randomUUID()}`,
        // What the runtime stores for a channel's message (its inboundBody).
        body: {
          text,
          ...(session.contactName === null ? {} : { contactName: session.contactName }),
          sentAt: Date.now(),
        },
      });
      if (inboundId === null) {
        this.sessions.delete(sessionKey(caller, sessionId));
        throw notFound('Simulator session');
      }
      await this.api.bus
        .publish(busChannels.inbound, { numberId: session.id, contact: session.contact })
        .catch((error: unknown) =>
          this.api.logger.warn({ err: error }, 'could not announce a simulator message'),
        );
      turns = await waiter.wait(inboundId, this.turnTimeoutMs);
      if (turns === null) {
        throw timedOut(
          `The runtime did not answer within ${Math.round(this.turnTimeoutMs / 1000)} s. Check that a runtime is running and shares this database and message bus; the message stays queued and is answered when one picks it up.`,
          { inboundId },
        );
      }
    } finally {
      await waiter.close();
    }
    return replyFromTurns(turns) ?? (await this.storedReply(session, inboundId));
  }

  /** The replies after an inbound message and the conversation now, as stored. */
  private async storedReply(session: SessionRecord, inboundId: number) {
    const [replies, outcome] = await Promise.all([
      this.repository.messages(this.api.db, session.id, session.contact, {
        afterId: inboundId,
        direction: 'out',
      }),
      this.outcome(session),
    ]);
    return { messages: replies.map((message) => botMessage(message.body)), ...outcome };
  }

  async remove(caller: Caller, sessionId: string): Promise<void> {
    this.sessions.delete(sessionKey(caller, sessionId));
    await this.api.db.transaction(async (tx) => {
      const session = await this.repository.get(tx, caller.workspaceId, sessionId);
      if (session === null || !(await this.repository.remove(tx, caller.workspaceId, sessionId)))
        throw notFound('Simulator session');
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'simulator.end',
        entity: 'simulator_session',
        entityId: sessionId,
        before: { flowId: session.flowId, version: session.version === 0 ? 'draft' : session.version },
      });
    });
    await this.api.bus.publish(busChannels.flows, { numberId: sessionId }).catch(() => undefined);
  }
}
