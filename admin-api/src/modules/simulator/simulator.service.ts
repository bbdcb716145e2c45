import { createHash, randomUUID } from 'node:crypto';
import { busChannels, publish, type SimulatorTurn } from '@parley/bus';
import {
  Invalid,
  SimulatorSessionNotFound,
  TooLarge,
  TRANSCRIPT_LIMIT,
  type TurnNote,
  Unavailable,
  Unprocessable,
} from '@parley/contract';
import { MEDIA_URL_PREFIX, mediaKey } from '@parley/db';
import { LRUCache } from 'lru-cache';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { FlowsService } from '../flows/flows.service.js';
import { handOver } from './inbound-handover.js';
import type {
  SessionRecord,
  SimulatorRepository,
  StoredInbound,
  StoredMessage,
} from './simulator.repository.js';
import { TurnWaiter } from './turn-waiter.js';

/** The contact a session talks as when none is given (a fictional number). */
export const DEFAULT_SIMULATOR_CONTACT = '+15555550100';
export const DEFAULT_TURN_TIMEOUT_MS = 15_000;
/** A web request or a model call may take up to a minute: a turn waiting on one gets that long more. */
const CALL_GRACE_MS = 65_000;
/** How long a message waits for a runtime to record it (at most the turn timeout). */
const RECEIPT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** The types WhatsApp delivers as media messages, which the live test accepts too. */
export const UPLOAD_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'video/mp4',
  'video/3gpp',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/zip',
];

/** An upload's bytes from base64, refused with a plain reason when it is empty, too large or not base64. */
export function decodeUpload(data: string, mimeType: string, maxBytes: number): Buffer {
  if (!UPLOAD_TYPES.includes(mimeType))
    throw new Unprocessable(
      `Files of type ${mimeType} cannot be sent. Send a picture, a video, a sound, a PDF or an office document.`,
    );
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new Invalid('The file is not base64-encoded.');
  const megabytes = Math.round((maxBytes / 1048576) * 10) / 10;
  // Checked before decoding, so an oversized upload is never held twice in memory.
  if (Math.floor((data.length * 3) / 4) > maxBytes + 2)
    throw new TooLarge(
      `The file is larger than ${megabytes} MB, the most that can be sent. Send a smaller file.`,
    );
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0) throw new Invalid('The file is empty.');
  if (bytes.length > maxBytes)
    throw new TooLarge(
      `The file is larger than ${megabytes} MB, the most that can be sent. Send a smaller file.`,
    );
  return bytes;
}
/** What the contact sends: text, a file (with an optional caption) or a location. */
export type ContactMessage =
  | { text: string }
  | { text?: string; media: { url: string; mimeType: string; name: string; size: number } }
  | { location: { lat: number; lng: number; name?: string } };

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
  /** Earlier messages were left out (only the latest TRANSCRIPT_LIMIT are returned). */
  truncated: boolean;
  status: string;
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** The bot's reply to a message, or word that the message is stored and the reply not ready. */
export type SendResult =
  | {
      status: 200;
      body: {
        messages: BotMessage[];
        notes: TurnNote[];
        status: string;
        answers: Record<string, unknown>;
        variables: Record<string, unknown>;
      };
    }
  | { status: 202; body: { stored: true; replyPending: true; message: string } };

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

function pending(message: string): SendResult {
  return { status: 202, body: { stored: true, replyPending: true, message } };
}

const sessionKey = (caller: Caller, sessionId: string) => `${caller.workspaceId} ${sessionId}`;

/** The reply as the runtime's turn events carried it, or null when they did not carry all of it. */
function replyFromTurns(turns: SimulatorTurn[]) {
  const conversation = turns.at(-1)?.conversation;
  if (conversation === undefined || conversation === null) return null;
  const messages: BotMessage[] = [];
  const notes: TurnNote[] = [];
  for (const turn of turns) {
    if (!Array.isArray(turn.replies)) return null;
    // A turn's notes count its own replies; the reply has the earlier turns' first.
    notes.push(...(turn.notes ?? []).map((note) => ({ ...note, after: messages.length + note.after })));
    messages.push(...turn.replies.map(botMessage));
  }
  return { messages, notes, ...conversation };
}

/**
 * The live test: a session is a hidden simulator number pinned to a draft snapshot (or a chosen
 * version). Messages go through the same inbox, runtime, engine and checkpoints as production;
 * the session's conversations and answers are stored as test data.
 */
export class SimulatorService {
  private readonly sessions = new LRUCache<string, SessionRecord>({ max: 5_000, ttl: 10 * 60_000 });

  constructor(
    private readonly api: ApiContext,
    private readonly repository: SimulatorRepository,
    private readonly flows: FlowsService,
    private readonly turnTimeoutMs = DEFAULT_TURN_TIMEOUT_MS,
    private readonly maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {}

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
      truncated: false,
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
    if (session === null) throw new SimulatorSessionNotFound();
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
    const { messages, truncated } = await this.repository.messages(
      this.api.db,
      session.id,
      session.contact,
      TRANSCRIPT_LIMIT,
    );
    return {
      id: session.id,
      flowId: session.flowId,
      version: session.version === 0 ? 'draft' : session.version,
      contact: {
        phone: session.contact,
        ...(session.contactName === null ? {} : { name: session.contactName }),
      },
      messages: messages.map(transcriptEntry),
      truncated,
      ...(await this.outcome(session)),
    };
  }

  /**
   * Sends the contact's message and waits for the runtime's answer: the bot messages the turn
   * produced (and those after its http calls), then the conversation's status, answers and
   * variables. With an Idempotency-Key the message is stored once however often it is retried, and
   * a retry gets the reply to that one message. Once the message is stored, a reply that is late or
   * cannot be read (the runtime is slow, Postgres failed) is answered 202: stored, reply pending.
   */
  async send(
    caller: Caller,
    sessionId: string,
    message: ContactMessage,
    idempotencyKey: string | null,
  ): Promise<SendResult> {
    const session = await this.session(caller, sessionId);
    return this.sendAs(caller, session, message, idempotencyKey);
  }

  /**
   * Sends a file as the contact: checked (type, size), stored in the media store under the
   * session's contact, then sent like a WhatsApp media message.
   */
  async sendFile(
    caller: Caller,
    sessionId: string,
    file: { name: string; mimeType: string; data: string; caption?: string },
    idempotencyKey: string | null,
  ): Promise<SendResult> {
    const session = await this.session(caller, sessionId);
    const bytes = decodeUpload(file.data, file.mimeType, this.maxUploadBytes);
    const key = mediaKey(caller.workspaceId, session.contact, file.name);
    await this.api.media.put(key, bytes, file.mimeType);
    const media = {
      url: `${MEDIA_URL_PREFIX}${key}`,
      mimeType: file.mimeType,
      name: file.name,
      size: bytes.length,
    };
    return this.sendAs(
      caller,
      session,
      file.caption === undefined ? { media } : { text: file.caption, media },
      idempotencyKey,
    );
  }

  private async sendAs(
    caller: Caller,
    session: SessionRecord,
    message: ContactMessage,
    idempotencyKey: string | null,
  ): Promise<SendResult> {
    const sessionId = session.id;
    const waiter = await TurnWaiter.start({
      bus: this.api.bus,
      logger: this.api.logger,
      numberId: session.id,
      contact: session.contact,
      settled: (inboundId) =>
        this.repository.turnSettled(this.api.db, session.id, session.contact, inboundId),
      callGraceMs: CALL_GRACE_MS,
    });
    try {
      const inbound = await this.store(caller, session, message, idempotencyKey);
      await publish(this.api.bus, busChannels.inbound, {
        numberId: session.id,
        contact: session.contact,
      }).catch((error: unknown) =>
        this.api.logger.warn({ err: error }, 'could not announce a simulator message'),
      );
      try {
        const waited = Date.now();
        const turns = await waiter.wait(inbound.id, this.turnTimeoutMs);
        if (turns === null) {
          return pending(
            `The runtime did not answer within ${Math.round((Date.now() - waited) / 1000)} s. Check that a runtime is running and shares this database and message bus; the reply appears in the transcript when one picks the message up.`,
          );
        }
        return { status: 200, body: replyFromTurns(turns) ?? (await this.storedReply(session, inbound.id)) };
      } catch (error) {
        this.api.logger.warn(
          { err: error, sessionId },
          'simulator reply could not be read after storing the message',
        );
        return pending(
          'The reply could not be read because the database did not answer. It appears in the transcript once the runtime has answered; sending again with the same Idempotency-Key does not store the message twice.',
        );
      }
    } finally {
      await waiter.close();
    }
  }

  /**
   * Hands the contact's message to the runtimes, which record it, and reads the row back: this
   * request's, or the one an earlier try with the same key recorded.
   */
  private async store(
    caller: Caller,
    session: SessionRecord,
    message: ContactMessage,
    idempotencyKey: string | null,
  ): Promise<StoredInbound> {
    // The same key (of the same user) names the same message, so a retry cannot store it twice.
    const id =
      idempotencyKey === null
        ? `sim-in-${randomUUID()}`
        : `sim-in-key-${createHash('sha256').update(`${caller.userId} ${idempotencyKey}`).digest('hex')}`;
    const read = () => this.repository.inboundByMessageId(this.api.db, session.id, id);
    const outcome = await handOver(
      {
        numberId: session.id,
        contact: session.contact,
        id,
        ...message,
        ...(session.contactName === null ? {} : { contactName: session.contactName }),
        sentAt: Date.now(),
      },
      {
        bus: this.api.bus,
        logger: this.api.logger,
        recorded: async () => (await read()) !== null,
        timeoutMs: Math.min(this.turnTimeoutMs, RECEIPT_TIMEOUT_MS),
      },
    );
    if (outcome === 'refused') {
      this.sessions.delete(sessionKey(caller, session.id));
      throw new SimulatorSessionNotFound();
    }
    if (outcome === 'unanswered') {
      throw new Unavailable(
        'No runtime confirmed your message, so it may not have been saved. Check that a runtime is running and shares this database and message bus, then send it again with the same Idempotency-Key: it is never stored twice.',
      );
    }
    let inbound: StoredInbound | null;
    try {
      inbound = await read();
    } catch (error) {
      this.api.logger.warn({ err: error, sessionId: session.id }, 'could not read back a simulator message');
      throw new Unavailable(
        'Your message was recorded, but the database did not answer when reading it back. Send it again with the same Idempotency-Key: it is never stored twice.',
      );
    }
    if (inbound === null)
      throw new Error(`A runtime recorded simulator message ${id}, but it is not in Postgres`);
    const text = 'text' in message ? message.text : undefined;
    if ((inbound.text ?? undefined) !== text) {
      throw new Unprocessable(
        'This Idempotency-Key was already used for a different message. Use a new key for a new message.',
      );
    }
    return inbound;
  }

  /** The replies to an inbound message and the conversation now, as stored. */
  private async storedReply(session: SessionRecord, inboundId: number) {
    const [replies, outcome] = await Promise.all([
      this.repository.repliesTo(this.api.db, session.id, session.contact, inboundId),
      this.outcome(session),
    ]);
    // Notes are not stored: a reply read back from Postgres goes without them.
    return { messages: replies.map((message) => botMessage(message.body)), notes: [], ...outcome };
  }

  async remove(caller: Caller, sessionId: string): Promise<void> {
    this.sessions.delete(sessionKey(caller, sessionId));
    const session = await this.api.db.transaction(async (tx) => {
      const session = await this.repository.get(tx, caller.workspaceId, sessionId);
      if (session === null || !(await this.repository.remove(tx, caller.workspaceId, sessionId)))
        throw new SimulatorSessionNotFound();
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'simulator.end',
        entity: 'simulator_session',
        entityId: sessionId,
        before: { flowId: session.flowId, version: session.version === 0 ? 'draft' : session.version },
      });
      return session;
    });
    // Runtimes reload which numbers exist, and drop the session's keys (state, sent log) in Redis.
    const announcements = [
      publish(this.api.bus, busChannels.flows, { numberId: sessionId }),
      publish(this.api.bus, busChannels.simulatorEnded, { numberId: sessionId, contact: session.contact }),
    ];
    await Promise.all(announcements).catch((error: unknown) =>
      // Unannounced, the keys still expire with their TTLs and the number is gone from Postgres.
      this.api.logger.warn({ err: error, sessionId }, 'could not announce the end of a simulator session'),
    );
  }
}
