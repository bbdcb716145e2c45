import type { Alert, AlertDelivery, AlertKind, AlertParams, AlertRule } from '@parley/contract';
import type { Queryable } from '@parley/db';

// Distinct from the retention pass's key, so the two jobs never wait on each other.
const EVALUATOR_LOCK_KEY = 0x70_61_72_6c_61_6c;

interface RuleRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: AlertKind;
  params: AlertParams;
  enabled: boolean;
  webhook_url: string | null;
  emails: string[];
  created_at: Date;
  updated_at: Date;
}

/** A rule with its workspace, as the evaluator reads it. */
export type StoredRule = AlertRule & { workspaceId: string };

function toRule(row: RuleRow): StoredRule {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    kind: row.kind,
    params: row.params,
    enabled: row.enabled,
    webhookUrl: row.webhook_url,
    emails: row.emails,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** What a rule's condition finds right now: one entry per thing in trouble. */
export interface Finding {
  subject: string;
  message: string;
}

/** A notice waiting to go out, with what it needs to be written. */
export interface DueDelivery {
  id: string;
  channel: 'webhook' | 'email';
  event: 'opened' | 'resolved';
  attempts: number;
  alertId: string;
  workspaceId: string;
  subject: string;
  message: string;
  openedAt: Date;
  resolvedAt: Date | null;
  ruleName: string;
  kind: AlertKind;
  webhookUrl: string | null;
  emails: string[];
  signingSecret: string | null;
}

/** A hand-off nobody holds yet, as an alert names it. */
export interface WaitingHandoff {
  id: string;
  contact: string;
  contactName: string | null;
  flowName: string;
  number: { phone: string; label: string | null };
  since: Date;
}

/** A conversation given to a person by someone else, as their email tells it. */
export interface Assignment {
  auditId: string;
  workspaceId: string;
  conversationId: string;
  assignee: { id: string; email: string };
  /** Null when the account that gave it is gone. */
  assignerEmail: string | null;
  contact: string;
  contactName: string | null;
  flowName: string;
  number: { phone: string; label: string | null };
}

const RULE_COLUMNS =
  'id, workspace_id, name, kind, params, enabled, webhook_url, emails, created_at, updated_at';

/** Alert rules, the alerts they open, their notices, and the conditions the rules watch. */
export class AlertsRepository {
  async tryLockRun(tx: Queryable): Promise<boolean> {
    const { rows } = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [
      EVALUATOR_LOCK_KEY,
    ]);
    return rows[0]?.locked === true;
  }

  async listRules(db: Queryable, workspaceId: string): Promise<StoredRule[]> {
    const { rows } = await db.query<RuleRow>(
      `select ${RULE_COLUMNS} from alert_rules where workspace_id = $1 order by created_at, id`,
      [workspaceId],
    );
    return rows.map(toRule);
  }

  async enabledRules(db: Queryable): Promise<StoredRule[]> {
    const { rows } = await db.query<RuleRow>(
      `select ${RULE_COLUMNS} from alert_rules where enabled order by workspace_id, created_at`,
    );
    return rows.map(toRule);
  }

  async rule(db: Queryable, workspaceId: string, id: string): Promise<StoredRule | null> {
    const { rows } = await db.query<RuleRow>(
      `select ${RULE_COLUMNS} from alert_rules where workspace_id = $1 and id = $2 for update`,
      [workspaceId, id],
    );
    return rows[0] === undefined ? null : toRule(rows[0]);
  }

  async createRule(
    db: Queryable,
    rule: Pick<StoredRule, 'workspaceId' | 'name' | 'kind' | 'params' | 'enabled' | 'webhookUrl' | 'emails'>,
  ): Promise<StoredRule> {
    const { rows } = await db.query<RuleRow>(
      `insert into alert_rules (workspace_id, name, kind, params, enabled, webhook_url, emails)
       values ($1, $2, $3, $4::jsonb, $5, $6, $7) returning ${RULE_COLUMNS}`,
      [
        rule.workspaceId,
        rule.name,
        rule.kind,
        JSON.stringify(rule.params),
        rule.enabled,
        rule.webhookUrl,
        rule.emails,
      ],
    );
    return toRule(rows[0] as RuleRow);
  }

  async updateRule(
    db: Queryable,
    rule: Pick<StoredRule, 'id' | 'name' | 'params' | 'enabled' | 'webhookUrl' | 'emails'>,
  ): Promise<StoredRule> {
    const { rows } = await db.query<RuleRow>(
      `update alert_rules set name = $2, params = $3::jsonb, enabled = $4, webhook_url = $5, emails = $6,
         updated_at = now() where id = $1 returning ${RULE_COLUMNS}`,
      [rule.id, rule.name, JSON.stringify(rule.params), rule.enabled, rule.webhookUrl, rule.emails],
    );
    return toRule(rows[0] as RuleRow);
  }

  async deleteRule(db: Queryable, id: string): Promise<void> {
    await db.query('delete from alert_rules where id = $1', [id]);
  }

  /** Open alerts first, then the most recent resolved ones, with how their notices went. */
  async listAlerts(db: Queryable, workspaceId: string, limit: number): Promise<Alert[]> {
    const { rows } = await db.query<{
      id: string;
      rule_id: string;
      rule_name: string;
      kind: AlertKind;
      subject: string;
      message: string;
      opened_at: Date;
      resolved_at: Date | null;
      deliveries: {
        event: AlertDelivery['event'];
        channel: AlertDelivery['channel'];
        status: AlertDelivery['status'];
        attempts: number;
        last_error: string | null;
        updated_at: string;
      }[];
    }>(
      `select a.id, a.rule_id, r.name as rule_name, r.kind, a.subject, a.message, a.opened_at, a.resolved_at,
         coalesce((select json_agg(json_build_object('event', d.event, 'channel', d.channel, 'status', d.status,
             'attempts', d.attempts, 'last_error', d.last_error, 'updated_at', d.updated_at) order by d.id)
           from alert_deliveries d where d.alert_id = a.id), '[]') as deliveries
       from alerts a join alert_rules r on r.id = a.rule_id
       where a.workspace_id = $1
       order by a.resolved_at is null desc, coalesce(a.resolved_at, a.opened_at) desc
       limit $2`,
      [workspaceId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      ruleId: row.rule_id,
      ruleName: row.rule_name,
      kind: row.kind,
      subject: row.subject,
      message: row.message,
      openedAt: row.opened_at.toISOString(),
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      deliveries: row.deliveries.map((d) => ({
        event: d.event,
        channel: d.channel,
        status: d.status,
        attempts: d.attempts,
        lastError: d.last_error,
        updatedAt: new Date(d.updated_at).toISOString(),
      })),
    }));
  }

  async openAlerts(db: Queryable, ruleId: string): Promise<{ id: string; subject: string }[]> {
    const { rows } = await db.query<{ id: string; subject: string }>(
      'select id, subject from alerts where rule_id = $1 and resolved_at is null',
      [ruleId],
    );
    return rows;
  }

  /** Opens an alert unless one is open for the rule and subject; returns its id, or null. */
  async open(db: Queryable, rule: StoredRule, finding: Finding): Promise<string | null> {
    const { rows } = await db.query<{ id: string }>(
      `insert into alerts (workspace_id, rule_id, subject, message) values ($1, $2, $3, $4)
       on conflict (rule_id, subject) where resolved_at is null do nothing returning id`,
      [rule.workspaceId, rule.id, finding.subject, finding.message],
    );
    return rows[0]?.id ?? null;
  }

  /** Whether this call resolved it (false: another process did first). */
  async resolve(db: Queryable, alertId: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'update alerts set resolved_at = now() where id = $1 and resolved_at is null',
      [alertId],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Waits for any other pass to end (the periodic pass, or another process's hand-off pass). */
  async lockRun(tx: Queryable): Promise<void> {
    await tx.query('select pg_advisory_xact_lock($1)', [EVALUATOR_LOCK_KEY]);
  }

  async enabledRulesOf(db: Queryable, workspaceId: string, kind: AlertKind): Promise<StoredRule[]> {
    const { rows } = await db.query<RuleRow>(
      `select ${RULE_COLUMNS} from alert_rules where enabled and workspace_id = $1 and kind = $2
       order by created_at`,
      [workspaceId, kind],
    );
    return rows.map(toRule);
  }

  async addDelivery(
    db: Queryable,
    alertId: string,
    event: 'opened' | 'resolved',
    channel: 'webhook' | 'email',
  ): Promise<void> {
    await db.query('insert into alert_deliveries (alert_id, event, channel) values ($1, $2, $3)', [
      alertId,
      event,
      channel,
    ]);
  }

  /**
   * Notices due now, claimed for this pass: each is put off by a lease first, so another process
   * does not send it too, and one whose sender died is picked up again when the lease ends.
   */
  async dueDeliveries(db: Queryable): Promise<DueDelivery[]> {
    const { rows: claimed } = await db.query<{ id: string }>(
      `update alert_deliveries set next_attempt_at = now() + interval '5 minutes'
       where id in (select id from alert_deliveries where status = 'pending' and next_attempt_at <= now()
         order by id limit 50 for update skip locked)
       returning id`,
    );
    if (claimed.length === 0) return [];
    const { rows } = await db.query<{
      id: string;
      channel: 'webhook' | 'email';
      event: 'opened' | 'resolved';
      attempts: number;
      alert_id: string;
      workspace_id: string;
      subject: string;
      message: string;
      opened_at: Date;
      resolved_at: Date | null;
      rule_name: string;
      kind: AlertKind;
      webhook_url: string | null;
      emails: string[];
      signing_secret: string | null;
    }>(
      `select d.id::text, d.channel, d.event, d.attempts, a.id as alert_id, a.workspace_id, a.subject, a.message,
         a.opened_at, a.resolved_at, r.name as rule_name, r.kind, r.webhook_url, r.emails, w.signing_secret
       from alert_deliveries d
       join alerts a on a.id = d.alert_id
       join alert_rules r on r.id = a.rule_id
       join workspaces w on w.id = a.workspace_id
       where d.id = any($1::bigint[])
       order by d.id`,
      [claimed.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: row.id,
      channel: row.channel,
      event: row.event,
      attempts: row.attempts,
      alertId: row.alert_id,
      workspaceId: row.workspace_id,
      subject: row.subject,
      message: row.message,
      openedAt: row.opened_at,
      resolvedAt: row.resolved_at,
      ruleName: row.rule_name,
      kind: row.kind,
      webhookUrl: row.webhook_url,
      emails: row.emails,
      signingSecret: row.signing_secret,
    }));
  }

  async delivered(db: Queryable, id: string): Promise<void> {
    await db.query(
      `update alert_deliveries set status = 'delivered', attempts = attempts + 1, last_error = null,
         updated_at = now() where id = $1`,
      [id],
    );
  }

  /** A failed attempt: tried again after `retryInMs`, or failed for good when null. */
  async attemptFailed(db: Queryable, id: string, error: string, retryInMs: number | null): Promise<void> {
    await db.query(
      `update alert_deliveries set attempts = attempts + 1, last_error = $2, updated_at = now(),
         status = case when $3::bigint is null then 'failed' else 'pending' end,
         next_attempt_at = now() + coalesce($3::bigint, 0) * interval '1 millisecond'
       where id = $1`,
      [id, error, retryInMs],
    );
  }

  // The conditions. Each returns what is in trouble now, in the workspace, with what the message needs.

  /** WhatsApp numbers disconnected (while wanted connected), logged out or failed for `minutes`. */
  async numbersDown(
    db: Queryable,
    workspaceId: string,
    minutes: number,
  ): Promise<{ id: string; phone: string; label: string | null; state: string; since: Date }[]> {
    const { rows } = await db.query<{
      id: string;
      phone: string;
      label: string | null;
      state: string;
      since: Date;
    }>(
      `select n.id, n.phone, n.label, n.state, s.since from numbers n
       cross join lateral (select coalesce((select max(e.at) from session_events e where e.number_id = n.id),
         n.updated_at) as since) s
       where n.workspace_id = $1 and n.channel = 'whatsapp'
         and (n.state in ('logged_out', 'failed') or (n.state = 'disconnected' and n.desired_connected))
         and s.since < now() - $2::integer * interval '1 minute'`,
      [workspaceId, minutes],
    );
    return rows;
  }

  /** Per flow, the conversations that ended in the window and how many of them failed. */
  async flowFailures(
    db: Queryable,
    workspaceId: string,
    windowMinutes: number,
  ): Promise<{ id: string; name: string; ended: number; failed: number }[]> {
    const { rows } = await db.query<{ id: string; name: string; ended: number; failed: number }>(
      `select f.id, f.name, count(*)::integer as ended,
         count(*) filter (where c.status = 'failed')::integer as failed
       from conversations c join flows f on f.id = c.flow_id
       where c.workspace_id = $1 and not c.is_test and c.ended_at >= now() - $2::integer * interval '1 minute'
       group by f.id, f.name`,
      [workspaceId, windowMinutes],
    );
    return rows;
  }

  /** Hand-offs not yet released to the bot, untouched for `minutes`, and since when the oldest waits. */
  async handoffsWaiting(
    db: Queryable,
    workspaceId: string,
    minutes: number,
  ): Promise<{ waiting: number; oldest: Date | null }> {
    const { rows } = await db.query<{ waiting: number; oldest: Date | null }>(
      `select count(*)::integer as waiting, min(updated_at) as oldest from conversations
       where workspace_id = $1 and status = 'handoff' and released_at is null and not is_test
         and updated_at < now() - $2::integer * interval '1 minute'`,
      [workspaceId, minutes],
    );
    return rows[0] ?? { waiting: 0, oldest: null };
  }

  /** Per number, replies queued for more than `minutes` and not yet sent. */
  async outboxBacklog(
    db: Queryable,
    workspaceId: string,
    minutes: number,
  ): Promise<{ id: string; phone: string; label: string | null; waiting: number }[]> {
    const { rows } = await db.query<{ id: string; phone: string; label: string | null; waiting: number }>(
      `select n.id, n.phone, n.label, count(*)::integer as waiting
       from messages m join numbers n on n.id = m.number_id
       where m.workspace_id = $1 and m.direction = 'out' and m.status in ('queued', 'sending')
         and m.created_at < now() - $2::integer * interval '1 minute'
       group by n.id, n.phone, n.label`,
      [workspaceId, minutes],
    );
    return rows;
  }

  /** Per number, how often its browser was restarted for using too much memory in the window. */
  async memoryRestarts(
    db: Queryable,
    workspaceId: string,
    windowMinutes: number,
    restartMessage: string,
  ): Promise<{ id: string; phone: string; label: string | null; restarts: number }[]> {
    const { rows } = await db.query<{ id: string; phone: string; label: string | null; restarts: number }>(
      `select n.id, n.phone, n.label, count(*)::integer as restarts
       from session_events e join numbers n on n.id = e.number_id
       where e.workspace_id = $1 and e.detail->>'message' = $3
         and e.at >= now() - $2::integer * interval '1 minute'
       group by n.id, n.phone, n.label`,
      [workspaceId, windowMinutes, restartMessage],
    );
    return rows;
  }

  /** Flows whose latest scheduled conversation test run failed (a later passing run clears them). */
  async failingTestSchedules(
    db: Queryable,
    workspaceId: string,
  ): Promise<{ id: string; name: string; version: number; failed: number; total: number; at: Date }[]> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      version: number;
      failed: number;
      total: number;
      at: Date;
    }>(
      `select f.id, f.name, r.version, r.failed, r.total, r.finished_at as at
       from flows f
       join lateral (
         select version, passed, finished_at,
           jsonb_array_length(results) as total,
           (select count(*)::integer from jsonb_array_elements(results) t where not (t->>'passed')::boolean) as failed
         from flow_test_runs
         where flow_id = f.id and reason = 'schedule'
         order by finished_at desc limit 1
       ) r on not r.passed
       where f.workspace_id = $1 and f.deleted_at is null`,
      [workspaceId],
    );
    return rows;
  }

  /** Hand-offs waiting for a person that nobody holds yet (live tests left out), oldest first. */
  async handoffsUnanswered(db: Queryable, workspaceId: string): Promise<WaitingHandoff[]> {
    const { rows } = await db.query<{
      id: string;
      contact: string;
      contact_name: string | null;
      flow_name: string;
      phone: string;
      label: string | null;
      since: Date;
    }>(
      `select c.id, c.contact, c.contact_name, f.name as flow_name, n.phone, n.label,
         coalesce(c.handoff_at, c.updated_at) as since
       from conversations c join flows f on f.id = c.flow_id join numbers n on n.id = c.number_id
       where c.workspace_id = $1 and c.status = 'handoff' and c.released_at is null
         and c.assigned_user_id is null and not c.is_test
       order by since`,
      [workspaceId],
    );
    return rows.map((row) => ({
      id: row.id,
      contact: row.contact,
      contactName: row.contact_name,
      flowName: row.flow_name,
      number: { phone: row.phone, label: row.label },
      since: row.since,
    }));
  }

  /**
   * A conversation's latest assignment when someone other than its holder made it: the audit entry
   * that recorded it, who gave it, and to whom. Null when nobody holds it, or they took it themselves.
   */
  async assignmentByAnother(db: Queryable, conversationId: string): Promise<Assignment | null> {
    const { rows } = await db.query<{
      audit_id: string;
      workspace_id: string;
      assignee_id: string;
      assignee_email: string;
      assigner_email: string | null;
      contact: string;
      contact_name: string | null;
      flow_name: string;
      phone: string;
      label: string | null;
    }>(
      `select a.id as audit_id, c.workspace_id, c.assigned_user_id as assignee_id, u.email as assignee_email,
         g.email as assigner_email, c.contact, c.contact_name, f.name as flow_name, n.phone, n.label
       from conversations c
       join users u on u.id = c.assigned_user_id
       join flows f on f.id = c.flow_id
       join numbers n on n.id = c.number_id
       cross join lateral (
         select id, user_id from audit_log
         where workspace_id = c.workspace_id and entity = 'conversation' and entity_id = c.id::text
           and action = 'conversation.assign' and after->>'assignedTo' = c.assigned_user_id::text
         order by id desc limit 1
       ) a
       left join users g on g.id = a.user_id
       where c.id = $1 and a.user_id is distinct from c.assigned_user_id`,
      [conversationId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      auditId: row.audit_id,
      workspaceId: row.workspace_id,
      conversationId,
      assignee: { id: row.assignee_id, email: row.assignee_email },
      assignerEmail: row.assigner_email,
      contact: row.contact,
      contactName: row.contact_name,
      flowName: row.flow_name,
      number: { phone: row.phone, label: row.label },
    };
  }

  /** Records that this assignment's email is being sent; false when another process already is. */
  async claimAssignmentNotice(db: Queryable, assignment: Assignment): Promise<boolean> {
    const { rowCount } = await db.query(
      `insert into assignment_notices (audit_id, workspace_id, conversation_id, user_id) values ($1, $2, $3, $4)
       on conflict (audit_id) do nothing`,
      [assignment.auditId, assignment.workspaceId, assignment.conversationId, assignment.assignee.id],
    );
    return (rowCount ?? 0) > 0;
  }

  /** How the email went (`error` null: sent). */
  async assignmentNoticeDone(db: Queryable, auditId: string, error: string | null): Promise<void> {
    await db.query(
      `update assignment_notices set status = case when $2::text is null then 'sent' else 'failed' end,
         last_error = $2 where audit_id = $1`,
      [auditId, error],
    );
  }
}
