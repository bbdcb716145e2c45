import type { NumberStatus, RecentProblem } from '@parley/contract';
import type { Queryable } from '@parley/db';

interface NumberRow {
  id: string;
  phone: string;
  label: string | null;
  state: NumberStatus['state'];
  since: Date | null;
  reason: NumberStatus['reason'];
  has_session: boolean;
  owner: string | null;
  held_since: Date | null;
  inbox: number;
  outbox: number;
  oldest_waiting: Date | null;
  failed_sends: number;
  calls: number;
}

interface ProblemRow {
  at: Date;
  kind: RecentProblem['kind'];
  number_id: string | null;
  phone: string | null;
  message: string;
}

/** States whose events are worth an admin's attention when they carry a reason. */
const TROUBLED_STATES = ['disconnected', 'reconnecting', 'logged_out', 'failed'];

/** How the workspace's WhatsApp numbers are running, read from what the runtimes record. */
export class StatusRepository {
  async numbers(db: Queryable, workspaceId: string): Promise<NumberStatus[]> {
    const { rows } = await db.query<NumberRow>(
      `select n.id, n.phone, n.label, n.state,
         e.at as since, n.state_reason as reason,
         exists (select 1 from whatsapp_sessions w where w.number_id = n.id) as has_session,
         l.owner, l.acquired_at as held_since,
         (select count(*)::int from messages m
            where m.number_id = n.id and m.direction = 'in' and m.status = 'received') as inbox,
         (select count(*)::int from messages m
            where m.number_id = n.id and m.direction = 'out' and m.status in ('queued', 'sending')) as outbox,
         (select min(m.created_at) from messages m
            where m.number_id = n.id and m.direction = 'out' and m.status in ('queued', 'sending')) as oldest_waiting,
         (select count(*)::int from messages m
            where m.number_id = n.id and m.direction = 'out' and m.status = 'failed'
              and m.updated_at > now() - interval '24 hours') as failed_sends,
         (select count(*)::int from pending_effects p where p.number_id = n.id) as calls
       from numbers n
       left join lateral (
         select at from session_events s where s.number_id = n.id order by at desc, id desc limit 1
       ) e on true
       left join whatsapp_leases l on l.number_id = n.id
       where n.workspace_id = $1 and n.channel = 'whatsapp'
       order by coalesce(n.label, n.phone)`,
      [workspaceId],
    );
    return rows.map((row) => ({
      id: row.id,
      phone: row.phone,
      label: row.label,
      state: row.state,
      since: row.since?.toISOString() ?? null,
      hasSession: row.has_session,
      reason: row.reason,
      heldBy:
        row.owner === null || row.held_since === null
          ? null
          : { runtime: row.owner, since: row.held_since.toISOString() },
      inbox: row.inbox,
      outbox: row.outbox,
      oldestWaitingSince: row.oldest_waiting?.toISOString() ?? null,
      failedSends24h: row.failed_sends,
      callsInFlight: row.calls,
    }));
  }

  /**
   * Sends that failed, connection troubles with a reason (or, in events recorded before reasons
   * existed, a message) and alert notices not delivered, the last 7 days, newest first.
   */
  async recentProblems(db: Queryable, workspaceId: string, limit: number): Promise<RecentProblem[]> {
    const { rows } = await db.query<ProblemRow>(
      `(select m.updated_at as at, 'send' as kind, m.number_id, n.phone,
          coalesce(m.last_error, 'The reply could not be sent.') as message
        from messages m join numbers n on n.id = m.number_id
        where m.workspace_id = $1 and m.direction = 'out' and m.status = 'failed'
          and m.updated_at > now() - interval '7 days'
        order by m.updated_at desc limit $2)
       union all
       (select s.at, 'connection', s.number_id, n.phone,
          coalesce(s.detail -> 'reason' ->> 'message', s.detail ->> 'message')
        from session_events s join numbers n on n.id = s.number_id
        where s.workspace_id = $1 and s.state = any($3::text[])
          and (s.detail ? 'reason' or s.detail ? 'message')
          and s.at > now() - interval '7 days'
        order by s.at desc limit $2)
       union all
       (select d.updated_at, 'alert_notice', null, null,
          'The ' || d.channel || ' notice of the alert “' || a.message || '” could not be sent: ' ||
            coalesce(d.last_error, 'no reason given') || '.'
        from alert_deliveries d join alerts a on a.id = d.alert_id
        where a.workspace_id = $1 and d.status = 'failed' and d.updated_at > now() - interval '7 days'
        order by d.updated_at desc limit $2)
       order by at desc limit $2`,
      [workspaceId, limit, TROUBLED_STATES],
    );
    return rows.map((row) => ({
      at: row.at.toISOString(),
      kind: row.kind,
      numberId: row.number_id,
      phone: row.phone,
      message: row.message,
    }));
  }

  /** Open alerts, and how their notices are being delivered. */
  async alerts(
    db: Queryable,
    workspaceId: string,
  ): Promise<{ open: number; noticesPending: number; noticesFailed24h: number }> {
    const { rows } = await db.query<{ open: number; pending: number; failed: number }>(
      `select
         (select count(*)::int from alerts where workspace_id = $1 and resolved_at is null) as open,
         (select count(*)::int from alert_deliveries d join alerts a on a.id = d.alert_id
            where a.workspace_id = $1 and d.status = 'pending') as pending,
         (select count(*)::int from alert_deliveries d join alerts a on a.id = d.alert_id
            where a.workspace_id = $1 and d.status = 'failed' and d.updated_at > now() - interval '24 hours') as failed`,
      [workspaceId],
    );
    const row = rows[0] ?? { open: 0, pending: 0, failed: 0 };
    return { open: row.open, noticesPending: row.pending, noticesFailed24h: row.failed };
  }
}
