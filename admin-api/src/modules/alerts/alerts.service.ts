import { busChannels, type InboxActivity, subscribe } from '@parley/bus';
import {
  type Alert,
  type AlertRule,
  type CreateAlertRuleBody,
  Invalid,
  NotFound,
  type UpdateAlertRuleBody,
} from '@parley/contract';
import type { Queryable } from '@parley/db';
import { refusedHost } from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { mailFailure } from '../../mail/mailer.js';
import type { SigningSecrets } from '../workspace/signing-secrets.js';
import { effectiveParams, findings } from './alert-conditions.js';
import { type NoticeOptions, sendEmail, sendWebhook } from './alert-notices.js';
import type { AlertsRepository, DueDelivery, StoredRule } from './alerts.repository.js';
import type { AssignmentMail } from './assignment-mail.js';

export interface AlertTiming {
  /** How long a webhook has to answer. */
  timeoutMs: number;
  /** The wait before the first retry; each next one waits twice as long. */
  retryBaseMs: number;
  /** Attempts per notice before it is marked failed. */
  maxAttempts: number;
}

export const DEFAULT_ALERT_TIMING: AlertTiming = { timeoutMs: 10_000, retryBaseMs: 60_000, maxAttempts: 5 };

const RECENT_ALERTS = 100;

/** What starts a hand-off alert or ends one: a hand-off, its taking, its end. */
const HANDOFF_CHANGES: ReadonlySet<InboxActivity['kind']> = new Set([
  'handoff',
  'assigned',
  'released',
  'resumed',
  'timed_out',
]);

/** Alert rules, the evaluator that opens and resolves their alerts, and the notices it sends. */
export class AlertsService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: AlertsRepository,
    private readonly signingSecrets: SigningSecrets,
    private readonly timing: AlertTiming = DEFAULT_ALERT_TIMING,
  ) {}

  listRules(caller: Caller): Promise<AlertRule[]> {
    return this.repository
      .listRules(this.api.db, caller.workspaceId)
      .then((rules) => rules.map(withoutWorkspace));
  }

  listAlerts(caller: Caller): Promise<Alert[]> {
    return this.repository.listAlerts(this.api.db, caller.workspaceId, RECENT_ALERTS);
  }

  async createRule(caller: Caller, body: CreateAlertRuleBody): Promise<AlertRule> {
    const rule = {
      workspaceId: caller.workspaceId,
      name: this.name(body.name),
      kind: body.kind,
      params: effectiveParams(body.kind, body.params ?? {}),
      enabled: body.enabled ?? true,
      webhookUrl: this.webhookUrl(body.webhookUrl ?? null),
      emails: body.emails ?? [],
    };
    const created = await this.api.db.transaction(async (tx) => {
      const stored = await this.repository.createRule(tx, rule);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'alert_rule.create',
        entity: 'alert_rule',
        entityId: stored.id,
        after: auditView(stored),
      });
      return stored;
    });
    return withoutWorkspace(created);
  }

  async updateRule(caller: Caller, id: string, body: UpdateAlertRuleBody): Promise<AlertRule> {
    const updated = await this.api.db.transaction(async (tx) => {
      const before = await this.repository.rule(tx, caller.workspaceId, id);
      if (before === null) throw new NotFound('Alert rule');
      const after = await this.repository.updateRule(tx, {
        id,
        name: body.name === undefined ? before.name : this.name(body.name),
        params: body.params === undefined ? before.params : effectiveParams(before.kind, body.params),
        enabled: body.enabled ?? before.enabled,
        webhookUrl: body.webhookUrl === undefined ? before.webhookUrl : this.webhookUrl(body.webhookUrl),
        emails: body.emails ?? before.emails,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'alert_rule.update',
        entity: 'alert_rule',
        entityId: id,
        before: auditView(before),
        after: auditView(after),
      });
      return after;
    });
    return withoutWorkspace(updated);
  }

  async deleteRule(caller: Caller, id: string): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      const rule = await this.repository.rule(tx, caller.workspaceId, id);
      if (rule === null) throw new NotFound('Alert rule');
      await this.repository.deleteRule(tx, id);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'alert_rule.delete',
        entity: 'alert_rule',
        entityId: id,
        before: auditView(rule),
      });
    });
  }

  /**
   * One pass: checks every enabled rule (one API process at a time), opens an alert for each new
   * finding and resolves those whose condition cleared, then sends the notices that are due.
   */
  async evaluate(now: Date = new Date()): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      if (!(await this.repository.tryLockRun(tx))) return;
      for (const rule of await this.repository.enabledRules(tx)) await this.check(tx, rule, now);
    });
    await this.deliver();
  }

  /**
   * The workspace's hand-off rules checked at once, when a hand-off starts or is taken, closed or
   * handed back (the periodic pass would see it only a minute later). Every API process hears the
   * same news: they take turns (the pass lock), and the alert open per rule and subject makes the
   * second one find nothing new, so each hand-off is notified once.
   */
  async evaluateHandoffs(workspaceId: string, now: Date = new Date()): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      await this.repository.lockRun(tx);
      for (const rule of await this.repository.enabledRulesOf(tx, workspaceId, 'handoff_started'))
        await this.check(tx, rule, now);
    });
    await this.deliver();
  }

  /** Listens for hand-offs (runtimes and API processes announce them); resolves with the unsubscribe. */
  listenForHandoffs(assignments: AssignmentMail): Promise<() => Promise<void>> {
    return subscribe(
      this.api.bus,
      busChannels.inboxActivity,
      (activity) => {
        if (activity.isTest || !HANDOFF_CHANGES.has(activity.kind)) return;
        this.onHandoffChange(activity, assignments).catch((error: unknown) =>
          // The periodic pass still sees the hand-off within a minute.
          this.api.logger.warn(
            { err: error, conversationId: activity.conversationId },
            'a hand-off could not be checked against the alert rules at once',
          ),
        );
      },
      this.api.logger,
    );
  }

  private async onHandoffChange(activity: InboxActivity, assignments: AssignmentMail): Promise<void> {
    if (activity.kind === 'assigned') await assignments.notify(activity.conversationId);
    await this.evaluateHandoffs(activity.workspaceId);
  }

  /** Opens an alert for each new finding of the rule, and resolves those whose condition cleared. */
  private async check(tx: Queryable, rule: StoredRule, now: Date): Promise<void> {
    const found = await findings(tx, this.repository, rule, now, this.api.config.publicUrl);
    const open = await this.repository.openAlerts(tx, rule.id);
    const openSubjects = new Set(open.map((alert) => alert.subject));
    const foundSubjects = new Set(found.map((finding) => finding.subject));
    for (const finding of found) {
      if (openSubjects.has(finding.subject)) continue;
      const alertId = await this.repository.open(tx, rule, finding);
      if (alertId !== null) await this.queueNotices(tx, rule, alertId, 'opened');
    }
    for (const alert of open) {
      if (foundSubjects.has(alert.subject)) continue;
      if (await this.repository.resolve(tx, alert.id))
        await this.queueNotices(tx, rule, alert.id, 'resolved');
    }
  }

  /** Sends every notice that is due; a failure is recorded on the alert and tried again later. */
  async deliver(): Promise<void> {
    const options: NoticeOptions = {
      allowPrivateHttp: this.api.config.allowPrivateHttp === true,
      timeoutMs: this.timing.timeoutMs,
    };
    for (const notice of await this.repository.dueDeliveries(this.api.db)) {
      try {
        await this.send(notice, options);
        await this.repository.delivered(this.api.db, notice.id);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const attempt = notice.attempts + 1;
        const retryInMs =
          error instanceof Final || attempt >= this.timing.maxAttempts
            ? null
            : this.timing.retryBaseMs * 2 ** (attempt - 1);
        this.api.logger.warn(
          { alertId: notice.alertId, channel: notice.channel, attempt, reason: message },
          'an alert notice could not be sent',
        );
        await this.repository.attemptFailed(this.api.db, notice.id, message, retryInMs);
      }
    }
  }

  /** Runs a pass now and then every `intervalMs`; returns a stop function. */
  schedule(intervalMs: number): () => void {
    const run = () =>
      this.evaluate().catch((error: unknown) => this.api.logger.warn({ err: error }, 'alert pass failed'));
    const timer = setInterval(run, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async send(notice: DueDelivery, options: NoticeOptions): Promise<void> {
    if (notice.channel === 'webhook') {
      if (notice.webhookUrl === null)
        throw new Final('The alert rule no longer has a webhook address; this notice was not sent.');
      const secret = this.signingSecrets.open(notice.workspaceId, notice.signingSecret);
      await sendWebhook({ ...notice, webhookUrl: notice.webhookUrl }, secret, options);
      return;
    }
    if (this.api.mailer === null)
      throw new Final(
        'Email is not set up on this server, so this notice was not mailed. Whoever runs Parley can set PARLEY_SMTP_URL.',
      );
    if (notice.emails.length === 0)
      throw new Final('The alert rule no longer has email recipients; this notice was not mailed.');
    try {
      await sendEmail(notice, this.api.mailer);
    } catch (error) {
      throw new Error(mailFailure(error));
    }
  }

  private async queueNotices(
    tx: Queryable,
    rule: StoredRule,
    alertId: string,
    event: 'opened' | 'resolved',
  ): Promise<void> {
    if (rule.webhookUrl !== null) await this.repository.addDelivery(tx, alertId, event, 'webhook');
    if (rule.emails.length > 0) await this.repository.addDelivery(tx, alertId, event, 'email');
  }

  private name(name: string): string {
    const trimmed = name.trim();
    if (trimmed === '')
      throw new Invalid('Give the alert rule a name that says what it watches.', [
        { pointer: '/body/name', message: 'Must not be blank.' },
      ]);
    return trimmed;
  }

  /** Webhooks follow the policy http_request follows: no private or local addresses unless allowed. */
  private webhookUrl(url: string | null): string | null {
    if (url === null || url.trim() === '') return null;
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw new Invalid(
        'The webhook address is not a valid URL. Paste the full address, starting with https://.',
        [{ pointer: '/body/webhookUrl', message: 'Not a URL.' }],
      );
    }
    const host = this.api.config.allowPrivateHttp === true ? null : refusedHost(parsed.href);
    if (host !== null)
      throw new Invalid(
        `The webhook address points to ${host}, a private or local address, which Parley does not call. Use a public address (or ask whoever runs Parley about PARLEY_ALLOW_PRIVATE_HTTP).`,
        [{ pointer: '/body/webhookUrl', message: 'Private or local address.' }],
      );
    return parsed.href;
  }
}

/** A failure that retrying cannot fix. */
class Final extends Error {}

function withoutWorkspace({ workspaceId: _, ...rule }: StoredRule): AlertRule {
  return rule;
}

function auditView(rule: StoredRule) {
  return {
    name: rule.name,
    kind: rule.kind,
    params: rule.params,
    enabled: rule.enabled,
    webhookUrl: rule.webhookUrl,
    emails: rule.emails,
  };
}
