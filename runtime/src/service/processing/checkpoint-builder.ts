import type { InboxActivity } from '@parley/bus';
import type { ContactState, Conversation, EngineEvent, StepResult } from '@parley/engine';
import { answersOf } from '@parley/engine';
import { idempotencyKeyPrefix } from '../channels/channel.js';
import type { Checkpoint, ConversationRow, NoteRow } from '../repositories/checkpoint-repository.js';
import type { EffectPayload } from '../repositories/effect-repository.js';
import { conversationUuid } from './conversation-id.js';
import type { RunnableVersion } from './flow-directory.js';

export interface BuilderContext {
  workspaceId: string;
  numberId: string;
  contact: string;
  isTest: boolean;
  expectedVersion: number;
}

/** Something that happened to a hand-off in a checkpoint (the inbox is told once it commits). */
export interface InboxChange {
  /** conversations.id */
  conversationId: string;
  kind: InboxActivity['kind'];
}

/** `conversation_notes.text` holds at most this many characters. */
const NOTE_TEXT_LIMIT = 4000;

/** Whether a conversation is with a person (a hand-off not released). */
function withAPerson(conversation: Conversation | null): boolean {
  return conversation?.status === 'handoff' && conversation.releasedAt === undefined;
}

/** Collects the effects of several engine steps of one contact into one Checkpoint. */
export class CheckpointBuilder {
  private readonly conversations = new Map<string, ConversationRow>();
  /** Node visits per conversation uuid: node id → { visits, answered }. */
  private readonly visits = new Map<string, Map<string, { visits: number; answered: boolean }>>();
  /** The last node each conversation entered in this checkpoint. */
  private readonly lastNode = new Map<string, string>();
  private readonly checkpoint: Checkpoint;
  /** Engine conversation id → database uuid (a hash, asked for several times per step). */
  private readonly uuids = new Map<string, string>();
  private outboundSeq = 0;
  /**
   * Per conversation uuid, the last message row this checkpoint writes for it (an outbound
   * message's idempotency key, or an inbound row's id): where a later note of it goes.
   */
  private readonly lastRow = new Map<string, Pick<NoteRow, 'afterKey' | 'afterId'>>();
  /** Hand-off changes of the absorbed steps, in order. */
  readonly inboxActivity: InboxChange[] = [];

  constructor(private readonly ctx: BuilderContext) {
    this.checkpoint = {
      workspaceId: ctx.workspaceId,
      numberId: ctx.numberId,
      contact: ctx.contact,
      expectedVersion: ctx.expectedVersion,
      state: { v: 1, contact: {}, conversation: null },
      flowVersionId: null,
      conversationId: null,
      conversations: [],
      nodeVisits: [],
      processedInbound: [],
      outbound: [],
      responses: [],
      timerDueAt: null,
      effectsAdded: [],
      effectsDone: [],
      notes: [],
    };
  }

  uuidOf(conversation: Conversation | null): string | null {
    return conversation === null ? null : this.uuid(conversation.id);
  }

  private uuid(engineId: string): string {
    let uuid = this.uuids.get(engineId);
    if (uuid === undefined) {
      uuid = conversationUuid(this.ctx.numberId, engineId);
      this.uuids.set(engineId, uuid);
    }
    return uuid;
  }

  private row(conversation: Conversation, state: ContactState, version: RunnableVersion): ConversationRow {
    return {
      id: this.uuid(conversation.id),
      workspaceId: this.ctx.workspaceId,
      numberId: this.ctx.numberId,
      contact: this.ctx.contact,
      contactName: state.contact.name ?? null,
      flowId: version.flowId,
      flowVersionId: version.versionId,
      engineId: conversation.id,
      status: conversation.status,
      // A finished conversation keeps the node it stopped at (the funnel's drop-off point).
      currentNode: conversation.wait?.nodeId ?? this.lastNode.get(conversation.id) ?? null,
      variables: conversation.variables,
      answers: answersOf(version.flow, conversation),
      endReason: conversation.endReason ?? null,
      isTest: this.ctx.isTest,
      startedAt: conversation.startedAt,
      endedAt: conversation.endedAt ?? null,
      releasedAt: conversation.releasedAt ?? null,
      // Hand-offs from before the inbox have no `handoffAt` in their state: they began when they ended.
      handoffAt:
        conversation.handoffAt ?? (conversation.status === 'handoff' ? (conversation.endedAt ?? null) : null),
      firstAgentReplyAt: conversation.agentRepliedAt ?? null,
    };
  }

  /**
   * Absorbs one step. `before` is the conversation the step started with (so an interrupted one
   * can be recorded as abandoned), `version` the flow version the step ran on.
   */
  absorb(
    event: EngineEvent,
    inboundId: number | null,
    before: Conversation | null,
    result: StepResult,
    version: RunnableVersion,
    now: number,
  ): void {
    const after = result.state.conversation;
    for (const effect of result.effects) {
      if (effect.type === 'node_entered' || effect.type === 'answer_saved')
        this.visit(effect.conversationId, effect.nodeId, effect.type);
      if (effect.type === 'node_entered') this.lastNode.set(effect.conversationId, effect.nodeId);
    }
    for (const effect of result.effects) {
      if (
        effect.type === 'conversation_ended' &&
        before !== null &&
        effect.conversationId === before.id &&
        after?.id !== before.id
      ) {
        const ended: Conversation = { ...before, status: effect.status, wait: null, endedAt: now };
        if (effect.reason !== undefined) ended.endReason = effect.reason;
        const row = this.row(ended, result.state, version);
        this.conversations.set(row.id, row);
      }
      if (effect.type === 'conversation_ended' && effect.status === 'completed') {
        this.checkpoint.responses.push({
          conversationId: this.uuid(effect.conversationId),
          flowId: version.flowId,
          flowVersionId: version.versionId,
          answers: effect.answers,
          isTest: this.ctx.isTest,
          completedAt: now,
        });
      }
      if (effect.type === 'http_request') {
        // Header values saved as secrets stay encrypted in pending_effects too.
        const { headers, ...rest } = effect.request;
        const request =
          version.sealHeaders === null
            ? effect.request
            : { ...rest, headers: {}, sealedHeaders: version.sealHeaders(headers) };
        this.addEffect(effect.requestId, {
          type: 'http_request',
          request,
          nodeId: effect.nodeId,
          conversationId: effect.conversationId,
        });
      }
      if (effect.type === 'ai_call') {
        // The tool calls' headers are the block's, as secret as an http_request's.
        const { headers, ...rest } = effect.call;
        const call =
          version.sealHeaders === null || headers === undefined
            ? effect.call
            : { ...rest, sealedHeaders: version.sealHeaders(headers) };
        this.addEffect(effect.requestId, {
          type: 'ai_call',
          call,
          nodeId: effect.nodeId,
          conversationId: effect.conversationId,
        });
      }
    }
    if (event.type === 'http_result' || event.type === 'ai_result')
      this.checkpoint.effectsDone.push(event.requestId);
    for (const effect of result.effects) {
      if (effect.type !== 'agent_message_refused' || event.type !== 'agent_message') continue;
      // Recorded so the person sees their message was not sent, and why.
      this.checkpoint.outbound.push({
        conversationId: effect.conversationId === null ? null : this.uuid(effect.conversationId),
        idempotencyKey: this.agentKey(event.id),
        type: effect.message.media === undefined ? 'text' : 'media',
        body: effect.message,
        status: 'failed',
        lastError: effect.reason,
      });
    }
    this.noteInboxActivity(event, before, result);
    if (after !== null) {
      const row = this.row(after, result.state, version);
      this.conversations.set(row.id, row);
    }
    const conversationId = this.uuidOf(after);
    if (inboundId !== null) {
      this.checkpoint.processedInbound.push({ id: inboundId, conversationId });
      if (conversationId !== null) this.lastRow.set(conversationId, { afterKey: null, afterId: inboundId });
    }
    // Where each of the step's notes goes: after the step's first `after` messages.
    const noteConversation = this.uuidOf(after ?? before);
    const anchors: Pick<NoteRow, 'afterKey' | 'afterId'>[] = [
      (noteConversation === null ? undefined : this.lastRow.get(noteConversation)) ?? {
        afterKey: null,
        afterId: null,
      },
    ];
    for (const message of result.outbound) {
      const { conversationId: engineId, ...body } = message;
      this.outboundSeq += 1;
      const idempotencyKey =
        message.kind === 'agent' && event.type === 'agent_message'
          ? this.agentKey(event.id)
          : `${idempotencyKeyPrefix(this.ctx.numberId, this.ctx.contact)}${this.ctx.expectedVersion + 1}:${this.outboundSeq}`;
      const rowConversation = engineId === null ? null : this.uuid(engineId);
      anchors.push({ afterKey: idempotencyKey, afterId: null });
      if (rowConversation !== null)
        this.lastRow.set(rowConversation, { afterKey: idempotencyKey, afterId: null });
      this.checkpoint.outbound.push({
        conversationId: rowConversation,
        idempotencyKey,
        type: message.media === undefined ? 'text' : 'media',
        body,
      });
    }
    if (noteConversation !== null) {
      for (const note of result.notes) {
        const anchor = anchors[Math.min(note.after, anchors.length - 1)] as (typeof anchors)[number];
        this.checkpoint.notes.push({
          conversationId: noteConversation,
          nodeId: note.nodeId,
          kind: note.kind,
          text: note.text.slice(0, NOTE_TEXT_LIMIT),
          ...anchor,
        });
      }
    }
  }

  private addEffect(requestId: string, payload: EffectPayload): void {
    this.checkpoint.effectsAdded.push({ requestId, payload });
  }

  /**
   * An agent message's row is keyed by the id the API gave it (`<number>:<contact>:agent-<id>`):
   * the API finds its delivery status by it, and a step run again after a crash adds no second row.
   */
  private agentKey(id: string): string {
    return `${idempotencyKeyPrefix(this.ctx.numberId, this.ctx.contact)}agent-${id}`;
  }

  private noteInboxActivity(event: EngineEvent, before: Conversation | null, result: StepResult): void {
    const after = result.state.conversation;
    const note = (engineId: string | undefined, kind: InboxChange['kind']) => {
      if (engineId !== undefined) this.inboxActivity.push({ conversationId: this.uuid(engineId), kind });
    };
    const wasWithAPerson = withAPerson(before);
    if (event.type === 'message' && wasWithAPerson && after?.id === before?.id)
      note(after?.id, 'contact_message');
    if (event.type === 'agent_message') note(after?.id, 'agent_message');
    if (event.type === 'resume' && wasWithAPerson) note(before?.id, 'resumed');
    if (event.type === 'release' && wasWithAPerson && after?.releasedAt !== undefined)
      note(after.id, 'released');
    for (const effect of result.effects) {
      if (effect.type === 'handoff_timed_out') note(effect.conversationId, 'timed_out');
      if (effect.type === 'conversation_ended' && effect.status === 'handoff')
        note(effect.conversationId, 'handoff');
    }
  }

  private visit(engineId: string, nodeId: string, kind: 'node_entered' | 'answer_saved'): void {
    const id = this.uuid(engineId);
    const nodes = this.visits.get(id) ?? new Map<string, { visits: number; answered: boolean }>();
    const entry = nodes.get(nodeId) ?? { visits: 0, answered: false };
    if (kind === 'node_entered') entry.visits += 1;
    else entry.answered = true;
    nodes.set(nodeId, entry);
    this.visits.set(id, nodes);
  }

  /** An inbound message that no flow handled (no flow published on the number). */
  skip(inboundId: number): void {
    this.checkpoint.processedInbound.push({ id: inboundId, conversationId: null });
  }

  build(state: ContactState, flowVersionId: string | null, timerDueAt: number | null): Checkpoint {
    return {
      ...this.checkpoint,
      state,
      flowVersionId,
      conversationId: this.uuidOf(state.conversation),
      conversations: [...this.conversations.values()],
      nodeVisits: [...this.visits.entries()].flatMap(([conversationId, nodes]) =>
        [...nodes.entries()].map(([nodeId, entry]) => ({ conversationId, nodeId, ...entry })),
      ),
      timerDueAt,
    };
  }
}
