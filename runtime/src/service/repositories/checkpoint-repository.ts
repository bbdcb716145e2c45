import type { Queryable } from '@parley/db';
import type { ContactState, TurnNote } from '@parley/engine';
import { jsonRows } from './json-rows.js';

export interface ConversationRow {
  id: string;
  workspaceId: string;
  numberId: string;
  contact: string;
  contactName: string | null;
  flowId: string;
  flowVersionId: string;
  engineId: string;
  status: string;
  currentNode: string | null;
  variables: Record<string, unknown>;
  answers: Record<string, unknown>;
  endReason: string | null;
  /** When an admin released the hand-off (epoch ms), or null. */
  releasedAt: number | null;
  isTest: boolean;
  startedAt: number;
  endedAt: number | null;
  /** When it last became a hand-off, and when a person first answered that hand-off (epoch ms). */
  handoffAt: number | null;
  firstAgentReplyAt: number | null;
}

export interface OutboundRow {
  conversationId: string | null;
  idempotencyKey: string;
  type: string;
  body: Record<string, unknown>;
  /** Set for a message recorded but never to be sent (an agent message refused), with why. */
  status?: 'failed';
  lastError?: string;
}

export interface ResponseRow {
  conversationId: string;
  flowId: string;
  flowVersionId: string;
  answers: Record<string, unknown>;
  isTest: boolean;
  completedAt: number;
}

/**
 * A turn note for the transcript, placed after a message row: one this checkpoint writes (its
 * idempotency key), an inbound row (its id), or else the conversation's last row already stored.
 */
export interface NoteRow {
  /** conversations.id */
  conversationId: string;
  nodeId: string;
  kind: TurnNote['kind'];
  text: string;
  afterKey: string | null;
  afterId: number | null;
}

/** Everything one drain of a contact's events changes, written in one transaction (with others). */
export interface Checkpoint {
  workspaceId: string;
  numberId: string;
  contact: string;
  /** The version the state was read at; the write fails if the stored one moved on. */
  expectedVersion: number;
  state: ContactState;
  flowVersionId: string | null;
  conversationId: string | null;
  conversations: ConversationRow[];
  /** Nodes entered (and questions answered) per conversation, for the funnel. */
  nodeVisits: { conversationId: string; nodeId: string; visits: number; answered: boolean }[];
  processedInbound: { id: number; conversationId: string | null }[];
  outbound: OutboundRow[];
  responses: ResponseRow[];
  /** Next timer, or null to clear it. */
  timerDueAt: number | null;
  /** Payloads as `EffectRepository` reads them back (see `EffectPayload`). */
  effectsAdded: { requestId: string; payload: Record<string, unknown> }[];
  effectsDone: string[];
  /** The steps' turn notes, in order. */
  notes: NoteRow[];
}

/** A checkpoint lost to a newer write (another process, or a retry after a lost lock). */
export class VersionConflictError extends Error {
  constructor(readonly keys: string[]) {
    super(`Checkpoint version conflict for ${keys.join(', ')}`);
    this.name = 'VersionConflictError';
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One data-modifying part of the checkpoint statement, fed by its own JSON rows parameter. */
interface Part {
  rows: object[];
  sql: (param: string) => string;
}

/** The rows of a part that belong to contacts whose state write won (see `write`). */
const FENCED = '(x.number_id, x.contact) in (select number_id, contact from written)';

/**
 * Writes checkpoints: one statement per batch, whatever the batch size, run on its own (a single
 * statement is atomic, so no BEGIN/COMMIT round trips). The state upsert is the fence: it only
 * moves a contact's version from the expected one to the next, and every other row of a
 * checkpoint (conversations, funnel, messages, responses, timers, effects) is written only for
 * the contacts whose state write won. A contact that lost (another writer moved its version on)
 * has nothing of its checkpoint written and is returned; the others are committed.
 */
export class CheckpointRepository {
  /** Writes the batch; returns the `numberId:contact` keys that lost the version check (nothing of them written). */
  async write(db: Queryable, checkpoints: Checkpoint[]): Promise<string[]> {
    if (checkpoints.length === 0) return [];
    const states = checkpoints.map((cp) => ({
      number_id: cp.numberId,
      contact: cp.contact,
      workspace_id: cp.workspaceId,
      state: cp.state,
      version: cp.expectedVersion + 1,
      flow_version_id: cp.flowVersionId,
      conversation_id: cp.conversationId,
    }));
    const outbound = this.outbound(checkpoints);
    const parts = [
      this.conversations(checkpoints),
      this.nodeVisits(checkpoints),
      this.processed(checkpoints),
      outbound,
      this.responses(checkpoints),
      ...this.timers(checkpoints),
      ...this.effects(checkpoints),
    ].filter((part) => part.rows.length > 0);
    // Notes find the ids of the messages written with them in the outbound part's returned rows.
    const notes = this.notes(checkpoints, parts.includes(outbound) ? `p${parts.indexOf(outbound)}` : null);
    if (notes.rows.length > 0) parts.push(notes);
    const params: string[] = [jsonRows(states)];
    const ctes = parts.map((part, index) => {
      params.push(jsonRows(part.rows));
      return `p${index} as (${part.sql(`$${params.length}::jsonb`)})`;
    });
    const { rows } = await db.query<{ number_id: string; contact: string }>(
      `with written as (
         insert into contact_states (number_id, contact, workspace_id, state, version, flow_version_id, conversation_id, updated_at)
         select number_id, contact, workspace_id, state, version, flow_version_id, conversation_id, now()
         from jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text, workspace_id uuid, state jsonb, version bigint,
           flow_version_id uuid, conversation_id uuid)
         on conflict (number_id, contact) do update set state = excluded.state, version = excluded.version,
           flow_version_id = excluded.flow_version_id, conversation_id = excluded.conversation_id, updated_at = now()
         where contact_states.version = excluded.version - 1
         returning number_id, contact
       )${ctes.map((cte) => `,\n       ${cte}`).join('')}
       select number_id, contact from written`,
      params,
    );
    if (rows.length === checkpoints.length) return [];
    const written = new Set(rows.map((row) => `${row.number_id}:${row.contact}`));
    return checkpoints.map((cp) => `${cp.numberId}:${cp.contact}`).filter((key) => !written.has(key));
  }

  private conversations(checkpoints: Checkpoint[]): Part {
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.conversations.map((row) => ({
          id: row.id,
          workspace_id: row.workspaceId,
          number_id: row.numberId,
          contact: row.contact,
          contact_name: row.contactName,
          flow_id: row.flowId,
          flow_version_id: row.flowVersionId,
          engine_id: row.engineId,
          status: row.status,
          current_node: row.currentNode,
          variables: row.variables,
          answers: row.answers,
          end_reason: row.endReason,
          is_test: row.isTest,
          started_at: iso(row.startedAt),
          ended_at: iso(row.endedAt),
          released_at: iso(row.releasedAt),
          handoff_at: iso(row.handoffAt),
          first_agent_reply_at: iso(row.firstAgentReplyAt),
        })),
      ),
      sql: (param) =>
        `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
           status, current_node, variables, answers, end_reason, is_test, started_at, ended_at, released_at,
           handoff_at, first_agent_reply_at, updated_at)
         select id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
           status, current_node, variables, answers, end_reason, is_test, started_at, ended_at, released_at,
           handoff_at, first_agent_reply_at, now()
         from jsonb_to_recordset(${param}) as x(id uuid, workspace_id uuid, number_id uuid, contact text, contact_name text,
           flow_id uuid, flow_version_id uuid, engine_id text, status text, current_node text, variables jsonb,
           answers jsonb, end_reason text, is_test boolean, started_at timestamptz, ended_at timestamptz, released_at timestamptz,
           handoff_at timestamptz, first_agent_reply_at timestamptz)
         where ${FENCED}
         on conflict (id) do update set contact_name = excluded.contact_name, status = excluded.status,
           current_node = coalesce(excluded.current_node, conversations.current_node), variables = excluded.variables, answers = excluded.answers,
           end_reason = excluded.end_reason, ended_at = excluded.ended_at, released_at = excluded.released_at,
           handoff_at = excluded.handoff_at, first_agent_reply_at = excluded.first_agent_reply_at,
           -- A new hand-off waits for whoever takes it: the holder of an earlier one lets go.
           assigned_user_id = case when excluded.handoff_at is distinct from conversations.handoff_at
             then null else conversations.assigned_user_id end,
           assigned_at = case when excluded.handoff_at is distinct from conversations.handoff_at
             then null else conversations.assigned_at end,
           updated_at = now()`,
    };
  }

  private nodeVisits(checkpoints: Checkpoint[]): Part {
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.nodeVisits.map((visit) => ({
          number_id: cp.numberId,
          contact: cp.contact,
          conversation_id: visit.conversationId,
          node_id: visit.nodeId,
          workspace_id: cp.workspaceId,
          visits: visit.visits,
          answered: visit.answered,
        })),
      ),
      sql: (param) =>
        `insert into node_visits (conversation_id, node_id, workspace_id, visits, answered)
         select conversation_id, node_id, workspace_id, visits, answered
         from jsonb_to_recordset(${param}) as x(number_id uuid, contact text, conversation_id uuid, node_id text,
           workspace_id uuid, visits integer, answered boolean)
         where ${FENCED}
         on conflict (conversation_id, node_id) do update set visits = node_visits.visits + excluded.visits,
           answered = node_visits.answered or excluded.answered`,
    };
  }

  private processed(checkpoints: Checkpoint[]): Part {
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.processedInbound.map((row) => ({
          number_id: cp.numberId,
          contact: cp.contact,
          id: row.id,
          conversation_id: row.conversationId,
        })),
      ),
      sql: (param) =>
        `update messages m set status = 'processed', conversation_id = x.conversation_id, updated_at = now()
         from jsonb_to_recordset(${param}) as x(number_id uuid, contact text, id bigint, conversation_id uuid)
         where m.id = x.id and ${FENCED}`,
    };
  }

  private outbound(checkpoints: Checkpoint[]): Part {
    // `position` keeps row ids in the order the engine produced the messages.
    let position = 0;
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.outbound.map((row) => ({
          workspace_id: cp.workspaceId,
          number_id: cp.numberId,
          contact: cp.contact,
          conversation_id: row.conversationId,
          idempotency_key: row.idempotencyKey,
          type: row.type,
          body: row.body,
          status: row.status ?? 'queued',
          last_error: row.lastError ?? null,
          position: position++,
        })),
      ),
      sql: (param) =>
        `insert into messages (workspace_id, number_id, contact, conversation_id, direction, idempotency_key, type, body, status, last_error)
         select workspace_id, number_id, contact, conversation_id, 'out', idempotency_key, type, body, status, last_error
         from jsonb_to_recordset(${param}) as x(workspace_id uuid, number_id uuid, contact text,
           conversation_id uuid, idempotency_key text, type text, body jsonb, status text, last_error text, position integer)
         where ${FENCED}
         order by position
         on conflict (idempotency_key) do nothing
         returning id, idempotency_key`,
    };
  }

  /**
   * `outboundCte` names the part that inserts this batch's messages (null when there are none).
   * A note placed after a message of its own checkpoint gets that message's new id; one placed
   * after nothing of it gets the conversation's last stored row.
   */
  private notes(checkpoints: Checkpoint[], outboundCte: string | null): Part {
    let position = 0;
    const written =
      outboundCte === null
        ? 'null::bigint'
        : `(select o.id from ${outboundCte} o where o.idempotency_key = x.after_key)`;
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.notes.map((note) => ({
          number_id: cp.numberId,
          contact: cp.contact,
          workspace_id: cp.workspaceId,
          conversation_id: note.conversationId,
          node_id: note.nodeId,
          kind: note.kind,
          text: note.text,
          after_key: note.afterKey,
          after_id: note.afterId,
          position: position++,
        })),
      ),
      sql: (param) =>
        `insert into conversation_notes (workspace_id, conversation_id, node_id, kind, text, after_message_id)
         select workspace_id, conversation_id, node_id, kind, text,
           case when x.after_key is not null
             -- A message already stored (a step run again) is not in the returned rows.
             then coalesce(${written}, (select m.id from messages m where m.idempotency_key = x.after_key))
             else coalesce(x.after_id, (select max(m.id) from messages m where m.conversation_id = x.conversation_id))
           end
         from jsonb_to_recordset(${param}) as x(number_id uuid, contact text, workspace_id uuid, conversation_id uuid,
           node_id text, kind text, text text, after_key text, after_id bigint, position integer)
         where ${FENCED}
         order by position`,
    };
  }

  private responses(checkpoints: Checkpoint[]): Part {
    return {
      rows: checkpoints.flatMap((cp) =>
        cp.responses.map((row) => ({
          number_id: cp.numberId,
          contact: cp.contact,
          workspace_id: cp.workspaceId,
          conversation_id: row.conversationId,
          flow_id: row.flowId,
          flow_version_id: row.flowVersionId,
          answers: row.answers,
          is_test: row.isTest,
          completed_at: iso(row.completedAt),
        })),
      ),
      sql: (param) =>
        `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at)
         select workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at
         from jsonb_to_recordset(${param}) as x(number_id uuid, contact text, workspace_id uuid, conversation_id uuid,
           flow_id uuid, flow_version_id uuid, answers jsonb, is_test boolean, completed_at timestamptz)
         where ${FENCED}
         on conflict (conversation_id) do nothing`,
    };
  }

  private timers(checkpoints: Checkpoint[]): Part[] {
    const key = (cp: Checkpoint) => ({ number_id: cp.numberId, contact: cp.contact });
    return [
      {
        rows: checkpoints
          .filter((cp) => cp.timerDueAt !== null)
          .map((cp) => ({ ...key(cp), due_at: iso(cp.timerDueAt) })),
        sql: (param) =>
          `insert into timers (number_id, contact, due_at)
           select number_id, contact, due_at from jsonb_to_recordset(${param}) as x(number_id uuid, contact text, due_at timestamptz)
           where ${FENCED}
           on conflict (number_id, contact) do update set due_at = excluded.due_at`,
      },
      {
        rows: checkpoints.filter((cp) => cp.timerDueAt === null).map(key),
        sql: (param) =>
          `delete from timers t using jsonb_to_recordset(${param}) as x(number_id uuid, contact text)
           where t.number_id = x.number_id and t.contact = x.contact and ${FENCED}`,
      },
    ];
  }

  private effects(checkpoints: Checkpoint[]): Part[] {
    return [
      {
        rows: checkpoints.flatMap((cp) => {
          // A request answered in the same checkpoint that decided it never needs a pending row
          // (the two parts of one statement do not see each other's rows).
          const done = new Set(cp.effectsDone);
          return cp.effectsAdded
            .filter((effect) => !done.has(effect.requestId))
            .map((effect) => ({
              request_id: effect.requestId,
              number_id: cp.numberId,
              contact: cp.contact,
              workspace_id: cp.workspaceId,
              payload: effect.payload,
            }));
        }),
        sql: (param) =>
          `insert into pending_effects (request_id, number_id, contact, workspace_id, payload)
           select request_id, number_id, contact, workspace_id, payload
           from jsonb_to_recordset(${param}) as x(request_id text, number_id uuid, contact text, workspace_id uuid, payload jsonb)
           where ${FENCED}
           on conflict (request_id) do nothing`,
      },
      {
        rows: checkpoints.flatMap((cp) =>
          cp.effectsDone.map((requestId) => ({
            number_id: cp.numberId,
            contact: cp.contact,
            request_id: requestId,
          })),
        ),
        sql: (param) =>
          `delete from pending_effects p using jsonb_to_recordset(${param}) as x(number_id uuid, contact text, request_id text)
           where p.request_id = x.request_id and ${FENCED}`,
      },
    ];
  }
}
