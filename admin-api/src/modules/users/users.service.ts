import type { Role, SentInvitation } from '@parley/contract';
import { Conflict, NotFound } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { hashPassword } from '../auth/password.js';
import type { InvitationsRepository } from '../invitations/invitations.repository.js';
import type { Member, UsersRepository } from './users.repository.js';

/** How long an invitation can be accepted. */
export const INVITATION_VALID_DAYS = 14;

/** Who belongs to a workspace, with which role, and who is invited to join it. */
export class UsersService {
  constructor(
    private readonly api: ApiContext,
    private readonly users: UsersRepository,
    private readonly invitations: InvitationsRepository,
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
