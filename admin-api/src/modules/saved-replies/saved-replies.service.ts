import { Conflict, Invalid, NotFound, type SavedReply } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { SavedRepliesRepository } from './saved-replies.repository.js';

/** What a saved reply is, once its title and text are trimmed; refused when either is blank. */
function cleaned(reply: { title: string; body: string }): { title: string; body: string } {
  const title = reply.title.trim();
  const body = reply.body.trim();
  const problems = [
    ...(title === '' ? [{ pointer: '/body/title', message: 'Give the reply a title.' }] : []),
    ...(body === '' ? [{ pointer: '/body/body', message: 'Write the reply’s text.' }] : []),
  ];
  if (problems.length > 0) throw new Invalid('A saved reply needs a title and a text.', problems);
  return { title, body };
}

function titleTaken(title: string): Conflict {
  return new Conflict(`There is already a saved reply called “${title}”. Pick another title.`, { title });
}

/** Replies the team picks instead of typing them again; every change is audited (titles, not texts). */
export class SavedRepliesService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: SavedRepliesRepository,
  ) {}

  list(caller: Caller): Promise<SavedReply[]> {
    return this.repository.list(this.api.db, caller.workspaceId);
  }

  async create(caller: Caller, reply: { title: string; body: string }): Promise<SavedReply> {
    const values = cleaned(reply);
    return this.api.db.transaction(async (tx) => {
      const created = await this.repository.create(tx, caller.workspaceId, caller.userId, values);
      if (created === null) throw titleTaken(values.title);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'saved_reply.create',
        entity: 'saved_reply',
        entityId: created.id,
        after: { title: created.title },
      });
      return created;
    });
  }

  async update(caller: Caller, id: string, reply: { title: string; body: string }): Promise<SavedReply> {
    const values = cleaned(reply);
    return this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, caller.workspaceId, id);
      if (before === null) throw new NotFound('Saved reply');
      if (await this.repository.titleTaken(tx, caller.workspaceId, values.title, id))
        throw titleTaken(values.title);
      const updated = (await this.repository.update(tx, caller.workspaceId, id, values)) as SavedReply;
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'saved_reply.update',
        entity: 'saved_reply',
        entityId: id,
        before: { title: before.title },
        after: { title: updated.title, textChanged: updated.body !== before.body },
      });
      return updated;
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, caller.workspaceId, id);
      if (before === null) throw new NotFound('Saved reply');
      await this.repository.delete(tx, caller.workspaceId, id);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'saved_reply.delete',
        entity: 'saved_reply',
        entityId: id,
        before: { title: before.title },
      });
    });
  }
}
