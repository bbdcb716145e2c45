import type { JoinedWorkspace, ReceivedInvitation } from '@parley/contract';
import { DomainError } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { SignedInUser } from '../../http/route.js';
import type { InvitationsRepository } from './invitations.repository.js';

/** Another person's, expired, withdrawn and already answered invitations all read the same. */
class InvitationNotFound extends DomainError {
  constructor() {
    super(
      'not_found',
      'This invitation was not found. It may have expired, been withdrawn, or already been answered.',
    );
  }
}

/** The invited person's side: their invitations, accepting and declining them. */
export class InvitationsService {
  constructor(
    private readonly api: ApiContext,
    private readonly invitations: InvitationsRepository,
  ) {}

  mine(user: SignedInUser): Promise<ReceivedInvitation[]> {
    return this.invitations.received(this.api.db, user.email);
  }

  accept(user: SignedInUser, id: string): Promise<JoinedWorkspace> {
    return this.api.db.transaction(async (tx) => {
      const invitation = await this.invitations.answer(tx, id, user.email, 'accepted');
      if (invitation === null) throw new InvitationNotFound();
      const joined = await this.invitations.join(tx, invitation.workspaceId, user.userId, invitation.role);
      await this.api.audit.record(tx, {
        workspaceId: invitation.workspaceId,
        userId: user.userId,
        action: 'invitation.accept',
        entity: 'invitation',
        entityId: id,
        after: { email: invitation.email, role: joined.role },
      });
      return joined;
    });
  }

  decline(user: SignedInUser, id: string): Promise<void> {
    return this.api.db.transaction(async (tx) => {
      const invitation = await this.invitations.answer(tx, id, user.email, 'declined');
      if (invitation === null) throw new InvitationNotFound();
      await this.api.audit.record(tx, {
        workspaceId: invitation.workspaceId,
        // No user id: the inviting workspace learns nothing about someone who did not join.
        userId: null,
        action: 'invitation.decline',
        entity: 'invitation',
        entityId: id,
        after: { email: invitation.email, role: invitation.role },
      });
    });
  }
}
