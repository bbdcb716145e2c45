import {
  atLeast,
  type InboxItem,
  type InboxPerson,
  type InboxSummary,
  type InboxView,
  ROLES,
} from '@parley/contract';
import type { Queryable } from '@parley/db';
import { personName, personOf } from '../conversations/people.js';
import { messageSummary } from './message-summary.js';

/** The most hand-offs one list returns: an inbox longer than this is a queue no one works through. */
export const INBOX_LIMIT = 500;

interface InboxRow {
  id: string;
  contact: string;
  contact_name: string | null;
  flow_id: string;
  flow_name: string | null;
  number_id: string;
  number_label: string | null;
  handoff_at: Date;
  assigned_user_id: string | null;
  assigned_email: string | null;
  unread: number;
  last_type: string | null;
  last_body: Record<string, unknown> | null;
  last_direction: 'in' | 'out' | null;
  last_at: Date | null;
  is_test: boolean;
}

// An open hand-off: handed to a person and not released. Hand-offs from before the inbox have no
// handoff_at: their last change stands in for it.
const OPEN = `c.status = 'handoff' and c.released_at is null`;
const UNREAD = `(select count(*)::integer from messages m
  where m.conversation_id = c.id and m.direction = 'in' and m.type <> 'control'
    and m.id > coalesce(c.read_message_id, 0))`;

/** SQL of the inbox: the open hand-offs of a workspace, with who holds them and what is unread. */
export class InboxRepository {
  async list(
    db: Queryable,
    workspaceId: string,
    userId: string,
    view: InboxView,
    includeTest: boolean,
  ): Promise<InboxItem[]> {
    const { rows } = await db.query<InboxRow>(
      `select c.id, c.contact, c.contact_name, c.flow_id, f.name as flow_name, c.number_id,
         n.label as number_label, coalesce(c.handoff_at, c.updated_at) as handoff_at, c.assigned_user_id,
         u.email as assigned_email, ${UNREAD} as unread, last.type as last_type, last.body as last_body,
         last.direction as last_direction, last.created_at as last_at, c.is_test
       from conversations c
       join numbers n on n.id = c.number_id
       left join flows f on f.id = c.flow_id
       left join users u on u.id = c.assigned_user_id
       left join lateral (
         select m.type, m.body, m.direction, m.created_at from messages m
         where m.conversation_id = c.id and m.type <> 'control' order by m.id desc limit 1
       ) last on true
       where c.workspace_id = $1 and ${OPEN}
         and ($4::boolean or not c.is_test)
         and case $3::text
           when 'waiting' then c.assigned_user_id is null
           when 'mine' then c.assigned_user_id = $2
           else true end
       order by coalesce(c.handoff_at, c.updated_at), c.id
       limit $5`,
      [workspaceId, userId, view, includeTest, INBOX_LIMIT],
    );
    return rows.map((row) => ({
      id: row.id,
      contact: row.contact,
      contactName: row.contact_name,
      flowId: row.flow_id,
      flowName: row.flow_name,
      numberId: row.number_id,
      numberLabel: row.number_label,
      handoffAt: row.handoff_at.toISOString(),
      assignedTo: personOf(row.assigned_user_id, row.assigned_email),
      unread: row.unread,
      lastMessage:
        row.last_type === null || row.last_direction === null || row.last_at === null
          ? null
          : {
              text: messageSummary(row.last_type, row.last_body ?? {}),
              direction: row.last_direction,
              at: row.last_at.toISOString(),
            },
      isTest: row.is_test,
    }));
  }

  /** The sidebar's figures: waiting hand-offs, the caller's, and the unread messages in both. */
  async summary(db: Queryable, workspaceId: string, userId: string): Promise<InboxSummary> {
    const { rows } = await db.query<InboxSummary>(
      `select count(*) filter (where c.assigned_user_id is null)::integer as waiting,
         count(*) filter (where c.assigned_user_id = $2)::integer as mine,
         coalesce(sum(${UNREAD}) filter (where c.assigned_user_id is null or c.assigned_user_id = $2), 0)::integer
           as unread
       from conversations c where c.workspace_id = $1 and ${OPEN}`,
      [workspaceId, userId],
    );
    return rows[0] ?? { waiting: 0, mine: 0, unread: 0 };
  }

  /** The workspace's agents, editors and admins: who a conversation can be given to. */
  async people(db: Queryable, workspaceId: string): Promise<InboxPerson[]> {
    const { rows } = await db.query<{ id: string; email: string }>(
      `select u.id, u.email from workspace_members m join users u on u.id = m.user_id
       where m.workspace_id = $1 and m.role = any($2::text[])
       order by lower(u.email)`,
      [workspaceId, ROLES.filter((role) => atLeast(role, 'agent'))],
    );
    return rows.map((row) => ({ id: row.id, name: personName(row.email) }));
  }

  /** Whether the person may still answer the workspace's hand-offs (an agent or above). */
  async canAnswer(db: Queryable, workspaceId: string, userId: string): Promise<boolean> {
    const { rows } = await db.query(
      'select 1 from workspace_members where workspace_id = $1 and user_id = $2 and role = any($3::text[])',
      [workspaceId, userId, ROLES.filter((role) => atLeast(role, 'agent'))],
    );
    return rows.length > 0;
  }
}
