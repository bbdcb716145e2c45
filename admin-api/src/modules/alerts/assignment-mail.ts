import type { ApiContext } from '../../api-context.js';
import { mailFailure } from '../../mail/mailer.js';
import { contactName, inboxLink, numberName } from './alert-conditions.js';
import type { AlertsRepository, Assignment } from './alerts.repository.js';

/** The email telling a person that someone gave them a conversation. */
export function assignmentMail(assignment: Assignment, publicUrl: string | undefined) {
  const link = inboxLink(publicUrl, assignment.conversationId);
  return {
    to: assignment.assignee.email,
    subject: `Parley: ${contactName(assignment)} is waiting for you`,
    text: [
      `${assignment.assignerEmail ?? 'Someone in your team'} gave you the conversation with ${contactName(assignment)} on WhatsApp number ${numberName(assignment.number)}, handed over by the flow "${assignment.flowName}".`,
      '',
      link === null
        ? 'Open the Inbox in Parley to answer them.'
        : `Open it in the Parley inbox to answer them: ${link}`,
      '',
      'You get this email because you hold the conversation now; nobody else answers it unless it is given to them.',
      '',
    ].join('\n'),
  };
}

/**
 * Emails the person a conversation was given to by someone else (taking one yourself sends
 * nothing), when this server sends mail. Every API process hears of the assignment: the first to
 * record its audit entry sends the email, the others nothing.
 */
export class AssignmentMail {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: AlertsRepository,
  ) {}

  async notify(conversationId: string): Promise<void> {
    const { mailer } = this.api;
    if (mailer === null) return;
    const assignment = await this.repository.assignmentByAnother(this.api.db, conversationId);
    if (assignment === null || !(await this.repository.claimAssignmentNotice(this.api.db, assignment)))
      return;
    try {
      await mailer.send(assignmentMail(assignment, this.api.config.publicUrl));
      await this.repository.assignmentNoticeDone(this.api.db, assignment.auditId, null);
    } catch (error) {
      const reason = mailFailure(error);
      this.api.logger.warn(
        { conversationId, userId: assignment.assignee.id, reason },
        'an assignment email failed',
      );
      await this.repository.assignmentNoticeDone(this.api.db, assignment.auditId, reason);
    }
  }
}
