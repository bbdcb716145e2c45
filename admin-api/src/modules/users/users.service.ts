import type { ApiContext } from '../../api-context.js';
import { conflict } from '../../errors/domain-errors.js';
import type { Caller, Role } from '../../http/route.js';
import type { AuthRepository } from '../auth/auth.repository.js';
import { hashPassword } from '../auth/password.js';
import type { Member, UsersRepository } from './users.repository.js';

/** Who belongs to a workspace, with which role. */
export class UsersService {
  constructor(
    private readonly api: ApiContext,
    private readonly users: UsersRepository,
    private readonly accounts: AuthRepository,
  ) {}

  list(caller: Caller): Promise<Member[]> {
    return this.users.members(this.api.db, caller.workspaceId);
  }

  /** Adds a user (creating the account when the email is new) to the caller's workspace. */
  add(caller: Caller, email: string, password: string, role: Role): Promise<Member> {
    return this.api.db.transaction(async (tx) => {
      const existing = await this.accounts.userByEmail(tx, email);
      const userId =
        existing?.id ?? (await this.accounts.createUser(tx, email, await hashPassword(password)));
      if (!(await this.users.addMember(tx, caller.workspaceId, userId, role))) {
        throw conflict(`${email} is already a member of this workspace.`);
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'user.add',
        entity: 'user',
        entityId: userId,
        after: { email, role },
      });
      return { id: userId, email: existing?.email ?? email, role, joinedAt: new Date().toISOString() };
    });
  }
}
