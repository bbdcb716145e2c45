/**
 * An admin manages the team over the HTTP API: gives people other roles and removes them. A change
 * holds at once on every API process, the workspace always keeps an admin, and the audit log keeps
 * what the removed person did.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Client, startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';

let api: TestApi;
let replica: Awaited<ReturnType<TestApi['replica']>>;

/** Invites a person with a role; they accept and are signed in. */
async function join(name: string, role: 'admin' | 'editor' | 'viewer'): Promise<Client & { id: string }> {
  const client = await api.join(`${name}-${randomUUID().slice(0, 8)}@example.com`, PASSWORD, role);
  const me = await client.call('get', '/me');
  return Object.assign(client, { id: me.body.id as string });
}

beforeAll(async () => {
  api = await startTestApi();
  replica = await api.replica();
});

afterAll(async () => {
  await replica?.close();
  await api?.close();
});

describe('managing the team', () => {
  it('gives a person another role, which holds at once on every API process', async () => {
    const eve = await join('eve', 'viewer');
    // Both processes have seen (and remember) Eve as a viewer.
    expect((await eve.call('post', '/flows', { name: 'Not yet' })).status).toBe(403);
    expect(
      (await replica.call('post', '/flows', { token: eve.token, body: { name: 'Not yet' } })).status,
    ).toBe(403);

    const changed = await api.admin.call('patch', `/users/${eve.id}`, { role: 'editor' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: eve.id, role: 'editor' });
    expect((await replica.call('post', '/flows', { token: eve.token, body: { name: 'Now' } })).status).toBe(
      201,
    );

    await api.admin.call('patch', `/users/${eve.id}`, { role: 'viewer' });
    expect((await replica.call('post', '/flows', { token: eve.token, body: { name: 'No' } })).status).toBe(
      403,
    );
    const members = await api.admin.call('get', '/users');
    expect(members.body.items.find((member: { id: string }) => member.id === eve.id).role).toBe('viewer');
  });

  it('removes a person: refused at once everywhere, their past actions still in the audit log', async () => {
    const ed = await join('ed', 'editor');
    const made = await ed.call('post', '/flows', { name: 'Ed’s flow' });
    expect(made.status).toBe(201);
    expect((await replica.call('get', '/flows', { token: ed.token })).status).toBe(200);

    expect((await api.admin.call('delete', `/users/${ed.id}`)).status).toBe(204);
    const here = await ed.call('get', '/flows');
    const there = await replica.call('get', '/flows', { token: ed.token });
    expect([here.status, there.status]).toEqual([403, 403]);
    expect(there.body.error.message).toMatch(/not a member of any workspace/);

    const members = await api.admin.call('get', '/users');
    expect(members.body.items.map((member: { id: string }) => member.id)).not.toContain(ed.id);
    // The flow Ed made stays, and so does the record that Ed made it.
    expect((await api.admin.call('get', `/flows/${made.body.id}`)).status).toBe(200);
    const audit = await api.admin.call('get', '/audit?limit=200');
    const entries = audit.body.items as { action: string; userId: string | null; entityId: string }[];
    expect(entries.some((entry) => entry.userId === ed.id && entry.entityId === made.body.id)).toBe(true);
    expect(entries.some((entry) => entry.action === 'member.remove' && entry.entityId === ed.id)).toBe(true);
    // Again: nobody to remove.
    expect((await api.admin.call('delete', `/users/${ed.id}`)).status).toBe(404);
  });

  it('never leaves the workspace without an admin', async () => {
    const demoted = await api.admin.call('patch', `/users/${api.adminUserId}`, { role: 'editor' });
    expect(demoted.status).toBe(409);
    expect(demoted.body.error.message).toBe(
      'You cannot change the role of yourself: you are the only admin of this workspace. Make someone else an admin first.',
    );
    expect((await api.admin.call('delete', `/users/${api.adminUserId}`)).status).toBe(409);

    // With a second admin, either can step down, but not both at once.
    const ada = await join('ada', 'admin');
    const [one, two] = await Promise.all([
      api.admin.call('patch', `/users/${ada.id}`, { role: 'viewer' }),
      ada.call('patch', `/users/${api.adminUserId}`, { role: 'viewer' }),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 409]);
    const admins = (
      await replica.call('get', '/users', { token: (one.status === 200 ? api.admin : ada).token })
    ).body.items.filter((member: { role: string }) => member.role === 'admin');
    expect(admins).toHaveLength(1);
  });

  it('refuses anyone but an admin, and a body that is not a role', async () => {
    const viewer = await join('val', 'viewer');
    expect((await viewer.call('patch', `/users/${viewer.id}`, { role: 'admin' })).status).toBe(403);
    expect((await viewer.call('delete', `/users/${api.adminUserId}`)).status).toBe(403);
    expect((await api.admin.call('patch', `/users/${viewer.id}`, { role: 'owner' })).status).toBe(400);
    expect((await api.admin.call('patch', `/users/${viewer.id}`, { role: 'editor', extra: 1 })).status).toBe(
      400,
    );
    expect((await api.admin.call('patch', '/users/not-an-id', { role: 'editor' })).status).toBe(400);
    const signedIn = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await signedIn.call('get', '/users')).status).toBe(200);
  });
});
