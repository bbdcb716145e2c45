import { postOnce, signRequest } from '@parley/db';
import type { Mailer } from '../../mail/mailer.js';
import type { DueDelivery } from './alerts.repository.js';

export interface NoticeOptions {
  allowPrivateHttp: boolean;
  timeoutMs: number;
}

function headline(notice: DueDelivery): string {
  return notice.event === 'opened' ? `Parley alert: ${notice.ruleName}` : `Resolved: ${notice.ruleName}`;
}

function text(notice: DueDelivery): string {
  return notice.event === 'opened'
    ? `${headline(notice)}. ${notice.message}`
    : `${headline(notice)}. This is no longer the case: ${notice.message}`;
}

/**
 * The webhook body: `text` is what Slack and Teams incoming webhooks show; `alert` carries the
 * same in fields for anything else that reads it.
 */
export function webhookBody(notice: DueDelivery): string {
  return JSON.stringify({
    text: text(notice),
    alert: {
      id: notice.alertId,
      status: notice.event === 'opened' ? 'open' : 'resolved',
      rule: notice.ruleName,
      kind: notice.kind,
      subject: notice.subject,
      message: notice.message,
      openedAt: notice.openedAt.toISOString(),
      resolvedAt: notice.resolvedAt?.toISOString() ?? null,
      workspaceId: notice.workspaceId,
    },
  });
}

/**
 * POSTs the notice, signed as http_request calls are (`x-parley-timestamp`, `x-parley-signature`)
 * when the workspace has a signing secret; throws with a reason a person can act on.
 */
export async function sendWebhook(
  notice: DueDelivery & { webhookUrl: string },
  secret: string | null,
  options: NoticeOptions,
): Promise<void> {
  const url = new URL(notice.webhookUrl);
  const body = webhookBody(notice);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Parley alerts',
  };
  if (secret !== null) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers['x-parley-timestamp'] = String(timestamp);
    headers['x-parley-signature'] = signRequest(secret, { timestamp, method: 'POST', url: url.href, body });
  }
  let status: number;
  try {
    status = await postOnce(url, {
      headers,
      body,
      timeoutMs: options.timeoutMs,
      allowPrivate: options.allowPrivateHttp,
    });
  } catch (error) {
    throw new Error(`The webhook could not be reached: ${reason(error, options.timeoutMs)}`);
  }
  if (status < 200 || status > 299)
    throw new Error(`The webhook answered HTTP ${status}; check its address in the alert rule.`);
}

function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs / 1000} seconds.`;
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `${message.replace(/\s+/g, ' ').slice(0, 200)}.`;
}

/** Mails the notice to the rule's recipients. */
export async function sendEmail(notice: DueDelivery, mailer: Mailer): Promise<void> {
  await mailer.send({
    to: notice.emails.join(', '),
    subject: headline(notice),
    text: `${text(notice)}\n\nOpened at ${notice.openedAt.toISOString()}${
      notice.resolvedAt === null ? '' : `, resolved at ${notice.resolvedAt.toISOString()}`
    }.\n`,
  });
}
