import type { Queryable } from '@parley/db';
import type { ContactState } from '../../engine/state.js';
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
  isTest: boolean;
  startedAt: number;
  endedAt: number | null;
}

export interface OutboundRow {
  conversationId: string | null;
  idempotencyKey: string;
  type: string;
  body: Record<string, unknown>;
}

export interface ResponseRow {
  conversationId: string;
  flowId: string;
  flowVersionId: string;
  answers: Record<string, unknown>;
  isTest: boolean;
  completedAt: number;
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
  effectsAdded: { requestId: string; payload: Record<string, unknown> }[];
  effectsDone: string[];
}

/** A checkpoint lost to a newer write (another process, or a retry after a lost lock). */
export class VersionConflictError extends Error {
  constructor(readonly keys: string[]) {
    super(`Checkpoint version conflict for ${keys.join(', ')}`);
    this.name = 'VersionConflictError';
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Writes checkpoints: a fixed number of statements per batch, whatever the batch size. */
export class CheckpointRepository {
  async write(tx: Queryable, checkpoints: Checkpoint[]): Promise<void> {
    const conversations = checkpoints.flatMap((cp) => cp.conversations);
    if (conversations.length > 0) await this.upsertConversations(tx, conversations);
    await this.writeStates(tx, checkpoints);
    await this.writeNodeVisits(tx, checkpoints);
    const processed = checkpoints.flatMap((cp) => cp.processedInbound);
    if (processed.length > 0) {
      await tx.query(
        `update messages m set status = 'processed', conversation_id = x.conversation_id, updated_at = now()
         from jsonb_to_recordset($1::jsonb) as x(id bigint, conversation_id uuid) where m.id = x.id`,
        [jsonRows(processed.map((row) => ({ id: row.id, conversation_id: row.conversationId })))],
      );
    }
    // `position` keeps row ids in the order the engine produced the messages.
    const outbound = checkpoints
      .flatMap((cp) =>
        cp.outbound.map((row) => ({
          workspace_id: cp.workspaceId,
          number_id: cp.numberId,
          contact: cp.contact,
          conversation_id: row.conversationId,
          idempotency_key: row.idempotencyKey,
          type: row.type,
          body: row.body,
        })),
      )
      .map((row, position) => ({ ...row, position }));
    if (outbound.length > 0) {
      await tx.query(
        `insert into messages (workspace_id, number_id, contact, conversation_id, direction, idempotency_key, type, body, status)
         select workspace_id, number_id, contact, conversation_id, 'out', idempotency_key, type, body, 'queued'
         from jsonb_to_recordset($1::jsonb) as x(workspace_id uuid, number_id uuid, contact text,
           conversation_id uuid, idempotency_key text, type text, body jsonb, position integer)
         order by position
         on conflict (idempotency_key) do nothing`,
        [jsonRows(outbound)],
      );
    }
    const responses = checkpoints.flatMap((cp) =>
      cp.responses.map((row) => ({ ...row, workspaceId: cp.workspaceId })),
    );
    if (responses.length > 0) {
      await tx.query(
        `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at)
         select workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at
         from jsonb_to_recordset($1::jsonb) as x(workspace_id uuid, conversation_id uuid, flow_id uuid,
           flow_version_id uuid, answers jsonb, is_test boolean, completed_at timestamptz)
         on conflict (conversation_id) do nothing`,
        [
          jsonRows(
            responses.map((row) => ({
              workspace_id: row.workspaceId,
              conversation_id: row.conversationId,
              flow_id: row.flowId,
              flow_version_id: row.flowVersionId,
              answers: row.answers,
              is_test: row.isTest,
              completed_at: iso(row.completedAt),
            })),
          ),
        ],
      );
    }
    await this.writeTimers(tx, checkpoints);
    await this.writeEffects(tx, checkpoints);
  }

  private async upsertConversations(tx: Queryable, rows: ConversationRow[]): Promise<void> {
    await tx.query(
      `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
         status, current_node, variables, answers, end_reason, is_test, started_at, ended_at, updated_at)
       select id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
         status, current_node, variables, answers, end_reason, is_test, started_at, ended_at, now()
       from jsonb_to_recordset($1::jsonb) as x(id uuid, workspace_id uuid, number_id uuid, contact text, contact_name text,
         flow_id uuid, flow_version_id uuid, engine_id text, status text, current_node text, variables jsonb,
         answers jsonb, end_reason text, is_test boolean, started_at timestamptz, ended_at timestamptz)
       on conflict (id) do update set contact_name = excluded.contact_name, status = excluded.status,
         current_node = coalesce(excluded.current_node, conversations.current_node), variables = excluded.variables, answers = excluded.answers,
         end_reason = excluded.end_reason, ended_at = excluded.ended_at, updated_at = now()`,
      [
        jsonRows(
          rows.map((row) => ({
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
          })),
        ),
      ],
    );
  }

  private async writeStates(tx: Queryable, checkpoints: Checkpoint[]): Promise<void> {
    const { rows } = await tx.query<{ number_id: string; contact: string }>(
      `insert into contact_states (number_id, contact, workspace_id, state, version, flow_version_id, conversation_id, updated_at)
       select number_id, contact, workspace_id, state, version, flow_version_id, conversation_id, now()
       from jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text, workspace_id uuid, state jsonb, version bigint,
         flow_version_id uuid, conversation_id uuid)
       on conflict (number_id, contact) do update set state = excluded.state, version = excluded.version,
         flow_version_id = excluded.flow_version_id, conversation_id = excluded.conversation_id, updated_at = now()
       where contact_states.version = excluded.version - 1
       returning number_id, contact`,
      [
        jsonRows(
          checkpoints.map((cp) => ({
            number_id: cp.numberId,
            contact: cp.contact,
            workspace_id: cp.workspaceId,
            state: cp.state,
            version: cp.expectedVersion + 1,
            flow_version_id: cp.flowVersionId,
            conversation_id: cp.conversationId,
          })),
        ),
      ],
    );
    if (rows.length !== checkpoints.length) {
      const written = new Set(rows.map((row) => `${row.number_id}:${row.contact}`));
      const lost = checkpoints.map((cp) => `${cp.numberId}:${cp.contact}`).filter((key) => !written.has(key));
      throw new VersionConflictError(lost);
    }
  }

  private async writeNodeVisits(tx: Queryable, checkpoints: Checkpoint[]): Promise<void> {
    const rows = checkpoints.flatMap((cp) =>
      cp.nodeVisits.map((visit) => ({
        conversation_id: visit.conversationId,
        node_id: visit.nodeId,
        workspace_id: cp.workspaceId,
        visits: visit.visits,
        answered: visit.answered,
      })),
    );
    if (rows.length === 0) return;
    await tx.query(
      `insert into node_visits (conversation_id, node_id, workspace_id, visits, answered)
       select conversation_id, node_id, workspace_id, visits, answered
       from jsonb_to_recordset($1::jsonb) as x(conversation_id uuid, node_id text, workspace_id uuid, visits integer, answered boolean)
       on conflict (conversation_id, node_id) do update set visits = node_visits.visits + excluded.visits,
         answered = node_visits.answered or excluded.answered`,
      [jsonRows(rows)],
    );
  }

  private async writeTimers(tx: Queryable, checkpoints: Checkpoint[]): Promise<void> {
    const set = checkpoints.filter((cp) => cp.timerDueAt !== null);
    const clear = checkpoints.filter((cp) => cp.timerDueAt === null);
    if (set.length > 0) {
      await tx.query(
        `insert into timers (number_id, contact, due_at)
         select number_id, contact, due_at from jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text, due_at timestamptz)
         on conflict (number_id, contact) do update set due_at = excluded.due_at`,
        [
          jsonRows(
            set.map((cp) => ({ number_id: cp.numberId, contact: cp.contact, due_at: iso(cp.timerDueAt) })),
          ),
        ],
      );
    }
    if (clear.length > 0) {
      await tx.query(
        `delete from timers t using jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text)
         where t.number_id = x.number_id and t.contact = x.contact`,
        [jsonRows(clear.map((cp) => ({ number_id: cp.numberId, contact: cp.contact })))],
      );
    }
  }

  private async writeEffects(tx: Queryable, checkpoints: Checkpoint[]): Promise<void> {
    const added = checkpoints.flatMap((cp) =>
      cp.effectsAdded.map((effect) => ({
        request_id: effect.requestId,
        number_id: cp.numberId,
        contact: cp.contact,
        workspace_id: cp.workspaceId,
        payload: effect.payload,
      })),
    );
    if (added.length > 0) {
      await tx.query(
        `insert into pending_effects (request_id, number_id, contact, workspace_id, payload)
         select request_id, number_id, contact, workspace_id, payload
         from jsonb_to_recordset($1::jsonb) as x(request_id text, number_id uuid, contact text, workspace_id uuid, payload jsonb)
         on conflict (request_id) do nothing`,
        [jsonRows(added)],
      );
    }
    const done = checkpoints.flatMap((cp) => cp.effectsDone);
    if (done.length > 0) {
      await tx.query(
        'delete from pending_effects where request_id in (select jsonb_array_elements_text($1::jsonb))',
        [JSON.stringify(done)],
      );
    }
  }
}
