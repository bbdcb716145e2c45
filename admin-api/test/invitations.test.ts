/**
 * Tenants stay apart: adding a person by email creates an invitation, answered the same whether or
 * not the email has an account, and the person joins only by accepting it. Everything goes through
 * the HTTP API on a real Postgres database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/modules/auth/password.js';
import { ADMIN_EMAIL, type Client, startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';
const ADMIN_TYPED = 'the password the admin typed';

let api: TestApi;
/** A user of another workspace (B), where they are admin. */
let outsider: { id: string; email: string; workspaceId: string; client: Client };

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

async function invite(email: string, role: 'admin' | 'editor' | 'viewer' = 'editor') {
  return api.admin.call('post', '/users', { email, password: ADMIN_TYPED, role });
}

async function auditEntries() {
  const reply = await api.admin.call('get', '/audit?limit=200');
  expect(reply.status).toBe(200);
  return reply.body.items as { action: string; entityId: string; userId: string | null }[];
}

beforeAll(async () => {
  api = await startTestApi();
  const { rows: workspaces } = await api.db.query<{ id: string }>(
    `insert into workspaces (name) values ('Workspace B') returning id`,
  );
  const workspaceId = (workspaces[0] as { id: string }).id;
  const email = uniqueEmail('bea');
  const { rows: users } = await api.db.query<{ id: string }>(
    'insert into users (email, password_hash) values ($1, $2) returning id',
    [email, await hashPassword(PASSWORD)],
  );
  const id = (users[0] as { id: string }).id;
  await api.db.query(`insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')`, [
    workspaceId,
    id,
  ]);
  outsider = { id, email, workspaceId, client: await api.login(email, PASSWORD) };
});

afterAll(async () => {
  await api?.close();
});

describe('inviting people to a workspace', () => {
  it('answers adding another workspace’s user exactly like adding a new email, and reveals nothing about them', async () => {
    const before = await outsider.client.call('get', '/me');
    const existing = await invite(outsider.email);
    const fresh = await invite(uniqueEmail('fresh'));

    expect(existing.status).toBe(201);
    expect(fresh.status).toBe(201);
    const shape = (body: Record<string, unknown>) => ({
      keys: Object.keys(body).sort(),
      role: body.role,
      validFor: Date.parse(body.expiresAt as string) - Date.parse(body.invitedAt as string),
    });
    expect(shape(existing.body)).toEqual(shape(fresh.body));
    expect(existing.body.email).toBe(outsider.email);
    expect(existing.body.id).not.toBe(outsider.id);

    // Their workspaces and their password are untouched; the admin's typed password opens nothing.
    const after = await outsider.client.call('get', '/me');
    expect(after.body.workspaces).toEqual(before.body.workspaces);
    expect(
      (await api.call('post', '/auth/login', { body: { email: outsider.email, password: PASSWORD } })).status,
    ).toBe(200);
    expect(
      (await api.call('post', '/auth/login', { body: { email: outsider.email, password: ADMIN_TYPED } }))
        .status,
    ).toBe(401);

    // The admin sees a pending invitation (email, role, dates), not a member, and never their id.
    const members = await api.admin.call('get', '/users');
    expect(members.body.items.map((member: { email: string }) => member.email)).not.toContain(outsider.email);
    const pending = await api.admin.call('get', '/users/invitations');
    expect(pending.status).toBe(200);
    const listed = pending.body.items.find((item: { email: string }) => item.email === outsider.email);
    expect(Object.keys(listed).sort()).toEqual(['email', 'expiresAt', 'id', 'invitedAt', 'role']);
    const audit = await auditEntries();
    expect(
      audit.filter((entry) => entry.action === 'invitation.create').map((entry) => entry.entityId),
    ).toEqual(expect.arrayContaining([existing.body.id, fresh.body.id]));
    for (const reply of [existing, members, pending])
      expect(JSON.stringify(reply.body)).not.toContain(outsider.id);
    expect(JSON.stringify(audit)).not.toContain(outsider.id);
    expect(JSON.stringify(audit)).not.toContain('Workspace B');
  });

  it('refuses to invite someone already invited or already a member, in plain words', async () => {
    const email = uniqueEmail('twice');
    expect((await invite(email)).status).toBe(201);
    const again = await invite(email.toUpperCase());
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already invited');
    const member = await invite(ADMIN_EMAIL);
    expect(member.status).toBe(409);
    expect(member.body.error.message).toContain('already a member');
  });

  it('joins the workspace with the invited role only when the person accepts', async () => {
    const sent = await invite(outsider.email, 'viewer');
    expect(sent.status).toBe(409); // still pending from the first test
    const mine = await outsider.client.call('get', '/invitations');
    expect(mine.status).toBe(200);
    const invitation = mine.body.items.find(
      (item: { workspaceName: string }) => item.workspaceName !== 'Workspace B',
    );
    expect(invitation).toMatchObject({ role: 'editor', invitedBy: ADMIN_EMAIL });

    const accepted = await outsider.client.call('post', `/invitations/${invitation.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ workspaceId: api.workspaceId, role: 'editor' });

    const me = await api.call('get', '/me', { token: outsider.client.token, workspace: api.workspaceId });
    expect(me.body.role).toBe('editor');
    expect(me.body.workspaces.map((w: { workspaceId: string }) => w.workspaceId).sort()).toEqual(
      [api.workspaceId, outsider.workspaceId].sort(),
    );
    const members = await api.admin.call('get', '/users');
    expect(members.body.items).toContainEqual(expect.objectContaining({ id: outsider.id, role: 'editor' }));
    const pending = await api.admin.call('get', '/users/invitations');
    expect(pending.body.items.map((item: { id: string }) => item.id)).not.toContain(invitation.id);
    expect(await auditEntries()).toContainEqual(
      expect.objectContaining({ action: 'invitation.accept', entityId: invitation.id, userId: outsider.id }),
    );
    // Used once: a second accept finds nothing.
    expect((await outsider.client.call('post', `/invitations/${invitation.id}/accept`)).status).toBe(404);
  });

  it('lets a fresh account created by an invitation sign in with no workspace yet, then accept', async () => {
    const email = uniqueEmail('newcomer');
    const sent = await invite(email, 'viewer');
    const signedIn = await api.call('post', '/auth/login', { body: { email, password: ADMIN_TYPED } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.workspaces).toEqual([]);
    const newcomer = await api.login(email, ADMIN_TYPED);

    const before = await newcomer.call('get', '/me');
    expect(before.status).toBe(403);
    expect(before.body.error.message).toBe(
      'You are not a member of any workspace yet. Accept an invitation, or ask an admin to add you.',
    );
    expect((await newcomer.call('get', '/flows')).status).toBe(403);
    const mine = await newcomer.call('get', '/invitations');
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([sent.body.id]);

    expect((await newcomer.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(200);
    const after = await newcomer.call('get', '/me');
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ workspaceId: api.workspaceId, role: 'viewer' });
    expect((await newcomer.call('get', '/flows')).status).toBe(200);
  });

  it('never lets another user accept or decline someone else’s invitation', async () => {
    const email = uniqueEmail('intended');
    const sent = await invite(email);
    const someoneElse = await api.member('viewer');
    expect((await someoneElse.call('get', '/invitations')).body.items).toEqual([]);
    for (const answer of ['accept', 'decline']) {
      const reply = await someoneElse.call('post', `/invitations/${sent.body.id}/${answer}`);
      expect(reply.status).toBe(404);
      expect(reply.body.error.message).toContain('This invitation was not found');
    }
    // Nor the admin who sent it.
    expect((await api.admin.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(404);
    const pending = await api.admin.call('get', '/users/invitations');
    expect(pending.body.items.map((item: { id: string }) => item.id)).toContain(sent.body.id);
    const intended = await api.login(email, ADMIN_TYPED);
    expect((await intended.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(200);
  });

  it('records a decline without naming the person, and the admin may invite again', async () => {
    const email = uniqueEmail('decliner');
    const sent = await invite(email);
    const person = await api.login(email, ADMIN_TYPED);
    expect((await person.call('post', `/invitations/${sent.body.id}/decline`)).status).toBe(204);
    expect((await person.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(404);
    expect((await person.call('get', '/me')).status).toBe(403);
    expect((await person.call('get', '/invitations')).body.items).toEqual([]);
    const pending = await api.admin.call('get', '/users/invitations');
    expect(pending.body.items.map((item: { id: string }) => item.id)).not.toContain(sent.body.id);
    expect(await auditEntries()).toContainEqual(
      expect.objectContaining({ action: 'invitation.decline', entityId: sent.body.id, userId: null }),
    );
    expect((await invite(email)).status).toBe(201);
  });

  it('lets the admin revoke a pending invitation, after which it cannot be accepted', async () => {
    const email = uniqueEmail('revoked');
    const sent = await invite(email);
    const person = await api.login(email, ADMIN_TYPED);
    expect((await api.admin.call('delete', `/users/invitations/${sent.body.id}`)).status).toBe(204);
    expect((await person.call('get', '/invitations')).body.items).toEqual([]);
    expect((await person.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(404);
    expect((await person.call('get', '/me')).status).toBe(403);
    const again = await api.admin.call('delete', `/users/invitations/${sent.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe('Invitation was not found');
    expect(await auditEntries()).toContainEqual(
      expect.objectContaining({
        action: 'invitation.revoke',
        entityId: sent.body.id,
        userId: api.adminUserId,
      }),
    );
    // Another workspace's admin cannot revoke this workspace's invitations.
    const other = await invite(uniqueEmail('kept'));
    expect((await outsider.client.call('delete', `/users/invitations/${other.body.id}`)).status).toBe(404);
    expect(
      (
        await api.call('delete', `/users/invitations/${other.body.id}`, {
          token: outsider.client.token,
          workspace: outsider.workspaceId,
        })
      ).status,
    ).toBe(404);
  });

  it('stops offering an expired invitation; the admin still sees it and may invite again', async () => {
    const email = uniqueEmail('late');
    const sent = await invite(email);
    const person = await api.login(email, ADMIN_TYPED);
    expect((await person.call('get', '/invitations')).body.items).toHaveLength(1);
    // Time passes: the invitation's validity ends.
    await api.db.query(
      `update workspace_invitations set expires_at = now() - interval '1 minute' where id = $1`,
      [sent.body.id],
    );
    expect((await person.call('get', '/invitations')).body.items).toEqual([]);
    expect((await person.call('post', `/invitations/${sent.body.id}/accept`)).status).toBe(404);
    const pending = await api.admin.call('get', '/users/invitations');
    const listed = pending.body.items.find((item: { id: string }) => item.id === sent.body.id);
    expect(Date.parse(listed.expiresAt)).toBeLessThan(Date.now());
    const renewed = await invite(email);
    expect(renewed.status).toBe(201);
    expect((await person.call('post', `/invitations/${renewed.body.id}/accept`)).status).toBe(200);
  });
});
