import { busChannels, publish } from '@parley/bus';
import type { Member, PasswordReset, Role, SentInvitation } from '@parley/contract';
import { atLeast, Conflict, NotFound } from '@parley/contract';
import type { Queryable } from '@parley/db';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { mailFailure } from '../../mail/mailer.js';
import { hashPassword } from '../auth/password.js';
import { hashResetCode, newResetCode, PASSWORD_RESET_VALID_HOURS } from '../auth/password-reset-code.js';
import type { PasswordResetsRepository } from '../auth/password-resets.repository.js';
import type { InvitationsRepository } from '../invitations/invitations.repository.js';
import type { UsersRepository } from './users.repository.js';

/** How long an invitation can be accepted. */
export const INVITATION_VALID_DAYS = 14;

/** Who belongs to a workspace, with which role, and who is invited to join it. */
export class UsersService {
  constructor(
    private readonly api: ApiContext,
    private readonly users: UsersRepository,
    private readonly invitations: InvitationsRepository,
    private readonly resets: PasswordResetsRepository,
  ) {}

  list(caller: Caller): Promise<Member[]> {
    return this.users.members(this.api.db, caller.workspaceId);
  }

  invitationsOf(caller: Caller): Promise<SentInvitation[]> {
    return this.invitations.pending(this.api.db, caller.workspaceId);
  }

  /**
   * Invites a person to the caller's workspace. The answer is the same whether or not the email
   * already has an account: a new account gets the password the admin typed, an existing one keeps
   * its own (the typed one is ignored), and either joins only by accepting.
   */
  async invite(caller: Caller, email: string, password: string, role: Role): Promise<SentInvitation> {
    // Hashed either way (and before the transaction), so the time taken does not tell either.
    const passwordHash = await hashPassword(password);
    return this.api.db.transaction(async (tx) => {
      if (await this.users.isMember(tx, caller.workspaceId, email)) {
        throw new Conflict(`${email} is already a member of this workspace.`);
      }
      await this.users.createAccountIfNew(tx, email, passwordHash);
      const invitation = await this.invitations.create(tx, {
        workspaceId: caller.workspaceId,
        email,
        role,
        invitedBy: caller.userId,
        validDays: INVITATION_VALID_DAYS,
      });
      if (invitation === null) {
        throw new Conflict(`${email} is already invited. Revoke that invitation to send a new one.`);
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'invitation.create',
        entity: 'invitation',
        entityId: invitation.id,
        after: { email, role },
      });
      return invitation;
    });
  }

  /** Gives a member another role; the workspace always keeps an admin. */
  async changeRole(caller: Caller, userId: string, role: Role): Promise<Member> {
    const changed = await this.api.db.transaction(async (tx) => {
      const { member, admins } = await this.lockedMember(tx, caller, userId);
      if (member.role === role) return { member, freed: [] };
      if (member.role === 'admin') keepAnAdmin(caller, member, admins, 'change the role of');
      await this.users.setRole(tx, caller.workspaceId, userId, role);
      // A viewer answers no one: the hand-offs they held go back to waiting, where colleagues see them.
      const freed = atLeast(role, 'agent')
        ? []
        : await this.users.freeConversations(tx, caller.workspaceId, userId);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'member.role_change',
        entity: 'user',
        entityId: userId,
        before: { email: member.email, role: member.role },
        after: {
          email: member.email,
          role,
          ...(freed.length > 0 ? { conversationsFreed: freed.length } : {}),
        },
      });
      return { member: { ...member, role }, freed };
    });
    await this.api.auth.accessChanged(userId);
    await this.announceFreed(caller.workspaceId, changed.freed);
    return changed.member;
  }

  /**
   * Takes a person out of the workspace: their next request here is refused, on every API process.
   * Their account, their other workspaces and what they did (the audit log) stay.
   */
  async remove(caller: Caller, userId: string): Promise<void> {
    const freed = await this.api.db.transaction(async (tx) => {
      const { member, admins } = await this.lockedMember(tx, caller, userId);
      if (member.role === 'admin') keepAnAdmin(caller, member, admins, 'remove');
      await this.users.remove(tx, caller.workspaceId, userId);
      // The hand-offs they held go back to waiting, where colleagues see them.
      const freed = await this.users.freeConversations(tx, caller.workspaceId, userId);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'member.remove',
        entity: 'user',
        entityId: userId,
        before: { email: member.email, role: member.role },
        ...(freed.length > 0 ? { after: { conversationsFreed: freed.length } } : {}),
      });
      return freed;
    });
    await this.api.auth.accessChanged(userId);
    await this.announceFreed(caller.workspaceId, freed);
  }

  /** Tells the workspace's open inboxes that these hand-offs wait for someone again. */
  private async announceFreed(
    workspaceId: string,
    conversations: { id: string; numberId: string; contact: string; isTest: boolean }[],
  ): Promise<void> {
    for (const conversation of conversations) {
      await publish(this.api.bus, busChannels.inboxActivity, {
        workspaceId,
        conversationId: conversation.id,
        numberId: conversation.numberId,
        contact: conversation.contact,
        kind: 'assigned',
        isTest: conversation.isTest,
        at: Date.now(),
      }).catch((error: unknown) =>
        this.api.logger.warn({ err: error }, 'could not announce a hand-off back in waiting'),
      );
    }
  }

  /**
   * A one-time password reset for a member, for the admin to pass on (a link the UI builds), and
   * mailed to them when asked and mail is set up. Only for someone whose every workspace the admin
   * runs: a password opens all of a person's workspaces. A failed mail leaves the reset working and
   * says why, so the admin passes the link on by hand.
   */
  async issuePasswordReset(
    caller: Caller,
    userId: string,
    mail: { send: boolean; linkBase: string },
  ): Promise<PasswordReset> {
    const mailer = this.api.mailer;
    if (mail.send && mailer === null) {
      throw new Conflict(
        'This server does not send email (PARLEY_SMTP_URL is not set). Make the link without email and pass it on yourself.',
        undefined,
        'mail_not_configured',
      );
    }
    const code = newResetCode();
    const { email, expiresAt } = await this.api.db.transaction(async (tx) => {
      const member = await this.users.member(tx, caller.workspaceId, userId);
      if (member === null) throw new NotFound('This person');
      if (member.id === caller.userId) {
        throw new Conflict('Change your own password from your account menu.', undefined, 'own_password');
      }
      if ((await this.users.workspacesNotRunBy(tx, userId, caller.userId)) > 0) {
        throw new Conflict(
          `${member.email} also belongs to a workspace you do not run, so you cannot reset their password. They can change it themselves from their account menu.`,
          undefined,
          'member_elsewhere',
        );
      }
      const expires = await this.resets.create(tx, {
        userId,
        codeHash: hashResetCode(code),
        createdBy: caller.userId,
        validHours: PASSWORD_RESET_VALID_HOURS,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'member.password_reset',
        entity: 'user',
        entityId: userId,
        after: { email: member.email, expiresAt: expires.toISOString(), emailed: mail.send },
      });
      return { email: member.email, expiresAt: expires };
    });
    const reset = { code, expiresAt: expiresAt.toISOString() };
    if (!mail.send || mailer === null) return reset;
    try {
      await mailer.send(resetMail(email, caller.email, `${mail.linkBase}#code=${code}`, expiresAt));
      return { ...reset, emailedTo: email };
    } catch (cause) {
      // The server's reason goes to the admin and the log; the link never goes to the log.
      this.api.logger.warn({ err: { message: mailFailure(cause) } }, 'password reset mail not sent');
      return { ...reset, emailError: `${mailFailure(cause)} Copy the link and pass it on yourself.` };
    }
  }

  /** The member, and the workspace's admins, locked until the transaction ends. */
  private async lockedMember(
    tx: Queryable,
    caller: Caller,
    userId: string,
  ): Promise<{ member: Member; admins: string[] }> {
    // Admins are locked first, in every change, so two admins demoting each other wait in turn.
    const admins = await this.users.lockAdmins(tx, caller.workspaceId);
    const member = await this.users.member(tx, caller.workspaceId, userId);
    if (member === null) throw new NotFound('This person');
    return { member, admins };
  }

  revoke(caller: Caller, id: string): Promise<void> {
    return this.api.db.transaction(async (tx) => {
      const revoked = await this.invitations.revoke(tx, caller.workspaceId, id);
      if (revoked === null) throw new NotFound('Invitation');
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'invitation.revoke',
        entity: 'invitation',
        entityId: id,
        before: { email: revoked.email, role: revoked.role },
      });
    });
  }
}

/** Refuses a change that would leave the workspace with no admin. */
function keepAnAdmin(caller: Caller, member: Member, admins: string[], doing: string): void {
  if (admins.some((id) => id !== member.id)) return;
  const self = member.id === caller.userId;
  throw new Conflict(
    `You cannot ${doing} ${self ? 'yourself' : member.email}: ${self ? 'you are' : 'they are'} the only admin of this workspace. Make someone else an admin first.`,
    undefined,
    'last_admin',
  );
}

/** The mail a person gets with their reset link. */
function resetMail(to: string, admin: string, link: string, expiresAt: Date) {
  return {
    to,
    subject: 'Choose a new Parley password',
    text: [
      'Hello,',
      '',
      `${admin} made a link for you to choose a new password for Parley:`,
      '',
      link,
      '',
      `It works once, until ${expiresAt.toUTCString()}. Your current password keeps working until you use it.`,
      'If you did not ask for this, tell your admin; you can ignore this email.',
    ].join('\n'),
  };
}
