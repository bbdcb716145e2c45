/**
 * Several workspaces: any signed-in person creates one (and becomes its admin), admins rename
 * theirs, and a person of one workspace joins another only by accepting an invitation, seeing
 * nothing of it before. Everything through the HTTP API on a real Postgres database.
 */
import { randomUUID } from 'node:crypto';
import { WORKSPACE_NAME_MAX, WORKSPACES_PER_CREATOR } from '@parley/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/modules/auth/password.js';
import { SAMPLE_FLOW_NAME } from '../src/modules/flows/sample-flow.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';

let api: TestApi;

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

/** A client acting in `workspace` (X-Workspace-Id) with the same token. */
function inWorkspace(client: Client, workspace: string): Client {
  return {
    token: client.token,
    workspace,
    call: (method, path, body) =>
      api.call(method, path, { token: client.token, workspace, ...(body === undefined ? {} : { body }) }),
  };
}

/** A person with an account and no workspace at all, signed in. */
async function loner(): Promise<{ id: string; email: string; client: Client }> {
  const email = uniqueEmail('loner');
  const { rows } = await api.db.query<{ id: string }>(
    'insert into users (email, password_hash) values ($1, $2) returning id',
    [email, await hashPassword(PASSWORD)],
  );
  return { id: (rows[0] as { id: string }).id, email, client: await api.login(email, PASSWORD) };
}

async function createdBy(userId: string): Promise<number> {
  const { rows } = await api.db.query<{ count: number }>(
    'select count(*)::int as count from workspaces where created_by = $1',
    [userId],
  );
  return rows[0]?.count ?? 0;
}

/** Names of the flows `client` sees in its workspace. */
async function flowNames(client: Client): Promise<string[]> {
  const reply = await client.call('get', '/flows');
  expect(reply.status).toBe(200);
  return reply.body.items.map((flow: { name: string }) => flow.name).sort();
}

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

describe('creating a workspace', () => {
  it('makes the creator its admin, starts it with the sample draft, and audits it', async () => {
    const viewer = await api.member('viewer');
    const created = await viewer.call('post', '/workspaces', { name: '  Clinic North  ' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      workspaceId: expect.any(String),
      workspaceName: 'Clinic North',
      role: 'admin',
    });
    const north = inWorkspace(viewer, created.body.workspaceId);

    const me = await north.call('get', '/me');
    expect(me.status).toBe(200);
    expect(me.body.workspaceId).toBe(created.body.workspaceId);
    expect(me.body.role).toBe('admin');
    expect(me.body.workspaces).toEqual(
      expect.arrayContaining([
        { workspaceId: api.workspaceId, workspaceName: expect.any(String), role: 'viewer' },
        { workspaceId: created.body.workspaceId, workspaceName: 'Clinic North', role: 'admin' },
      ]),
    );
    // Their first workspace stays the default, where they are still a viewer.
    expect((await viewer.call('get', '/me')).body.role).toBe('viewer');

    expect(await flowNames(north)).toEqual([SAMPLE_FLOW_NAME]);
    const sample = (await north.call('get', '/flows')).body.items[0];
    expect((await north.call('get', `/flows/${sample.id}`)).body.publishedVersion).toBeNull();
    const members = (await north.call('get', '/users')).body.items as { role: string }[];
    expect(members.map((member) => member.role)).toEqual(['admin']);

    const audit = await north.call('get', '/audit');
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'workspace.create',
        entity: 'workspace',
        entityId: created.body.workspaceId,
        after: { name: 'Clinic North' },
      }),
    ]);
    // The workspace they came from learns nothing of it.
    const home = await api.admin.call('get', '/audit?limit=200');
    expect(home.body.items.map((entry: { action: string }) => entry.action)).not.toContain(
      'workspace.create',
    );
  });

  it('is open to a person in no workspace yet, who can then use it', async () => {
    const person = await loner();
    expect((await person.client.call('get', '/me')).status).toBe(403);
    const created = await person.client.call('post', '/workspaces', { name: 'My own' });
    expect(created.status).toBe(201);
    const me = await person.client.call('get', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ workspaceId: created.body.workspaceId, role: 'admin' });
    expect(await flowNames(person.client)).toEqual([SAMPLE_FLOW_NAME]);
  });

  it('refuses empty, blank and too long names in plain words, creating nothing', async () => {
    const person = await loner();
    const refusals: [unknown, string][] = [
      [{ name: '' }, 'Some fields of the body of the request are not valid.'],
      [{ name: '   \t ' }, 'Give the workspace a name.'],
      [
        { name: 'x'.repeat(WORKSPACE_NAME_MAX + 1) },
        `A workspace name can be at most ${WORKSPACE_NAME_MAX} characters; this one has ${WORKSPACE_NAME_MAX + 1}. Shorten it.`,
      ],
      [{ name: 'x'.repeat(201) }, 'Some fields of the body of the request are not valid.'],
      [{ name: 42 }, 'Some fields of the body of the request are not valid.'],
      [{}, 'Some fields of the body of the request are not valid.'],
      [{ name: 'Fine', owner: 'someone else' }, 'Some fields of the body of the request are not valid.'],
    ];
    for (const [body, message] of refusals) {
      const reply = await person.client.call('post', '/workspaces', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.message).toBe(message);
      expect(reply.body.error.details).not.toEqual([]);
    }
    expect(await createdBy(person.id)).toBe(0);

    // Spaces around a name do not count towards its length.
    const longest = await person.client.call('post', '/workspaces', {
      name: `  ${'é'.repeat(WORKSPACE_NAME_MAX)}  `,
    });
    expect(longest.status).toBe(201);
    expect(longest.body.workspaceName).toBe('é'.repeat(WORKSPACE_NAME_MAX));
  });

  it(`stops a person at ${WORKSPACES_PER_CREATOR} workspaces, even asked all at once`, async () => {
    const person = await loner();
    const replies = await Promise.all(
      Array.from({ length: WORKSPACES_PER_CREATOR + 3 }, (_, index) =>
        person.client.call('post', '/workspaces', { name: `Branch ${index + 1}` }),
      ),
    );
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(WORKSPACES_PER_CREATOR);
    const refused = replies.filter((reply) => reply.status !== 201);
    expect(refused).toHaveLength(3);
    for (const reply of refused) {
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('workspace_limit');
      expect(reply.body.error.message).toBe(
        `You have already created ${WORKSPACES_PER_CREATOR} workspaces, the most one person may. Rename one you no longer use instead.`,
      );
    }
    expect(await createdBy(person.id)).toBe(WORKSPACES_PER_CREATOR);
    expect((await person.client.call('get', '/me')).body.workspaces).toHaveLength(WORKSPACES_PER_CREATOR);
  });
});

describe('renaming a workspace', () => {
  it('trims the name, shows it in /me, and leaves other workspaces alone', async () => {
    const person = await loner();
    const first = await person.client.call('post', '/workspaces', { name: 'First' });
    const second = await person.client.call('post', '/workspaces', { name: 'Second' });
    const inFirst = inWorkspace(person.client, first.body.workspaceId);

    const renamed = await inFirst.call('patch', '/workspace', { name: '  Front desk ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Front desk');
    const names = (await inFirst.call('get', '/me')).body.workspaces.map(
      (workspace: { workspaceName: string }) => workspace.workspaceName,
    );
    expect(names.sort()).toEqual(['Front desk', 'Second']);

    const blank = await inFirst.call('patch', '/workspace', { name: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toBe('Give the workspace a name.');
    const long = await inFirst.call('patch', '/workspace', { name: 'y'.repeat(WORKSPACE_NAME_MAX + 1) });
    expect(long.status).toBe(400);
    expect((await inFirst.call('get', '/workspace')).body.name).toBe('Front desk');
    expect(
      (await inWorkspace(person.client, second.body.workspaceId).call('get', '/workspace')).body.name,
    ).toBe('Second');
  });

  it('is for admins: editors and viewers are refused and nothing changes', async () => {
    const before = (await api.admin.call('get', '/workspace')).body.name;
    for (const role of ['editor', 'viewer'] as const) {
      const member = await api.member(role);
      const reply = await member.call('patch', '/workspace', { name: 'Taken over' });
      expect(reply.status).toBe(403);
    }
    expect((await api.admin.call('get', '/workspace')).body.name).toBe(before);
  });
});

describe('joining another workspace by invitation', () => {
  it('shows nothing of workspace B before accepting; after, B’s flows with the invited role', async () => {
    // Ann is an editor of the first workspace (A); Bea creates B and invites Ann.
    const ann = await api.member('editor');
    const annEmail = (await ann.call('get', '/me')).body.email as string;
    await ann.call('post', '/flows', { name: 'Only in A' });
    const bea = await loner();
    const b = (await bea.client.call('post', '/workspaces', { name: 'Workspace B' })).body.workspaceId;
    const inB = inWorkspace(bea.client, b);
    expect((await inB.call('post', '/flows', { name: 'Only in B' })).status).toBe(201);

    const invited = await inB.call('post', '/users', { email: annEmail, password: PASSWORD, role: 'editor' });
    expect(invited.status).toBe(201);

    const annInB = inWorkspace(ann, b);
    for (const path of ['/me', '/flows', '/workspace', '/numbers', '/conversations']) {
      const reply = await annInB.call('get', path);
      expect(reply.status, path).toBe(404);
      expect(JSON.stringify(reply.body)).not.toContain('Only in B');
    }
    expect(
      (await ann.call('get', '/me')).body.workspaces.map((w: { workspaceId: string }) => w.workspaceId),
    ).not.toContain(b);

    const received = await ann.call('get', '/invitations');
    expect(received.body.items).toEqual([
      expect.objectContaining({ workspaceName: 'Workspace B', role: 'editor', invitedBy: bea.email }),
    ]);
    const [invitation] = received.body.items;
    const accepted = await ann.call('post', `/invitations/${invitation.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ workspaceId: b, workspaceName: 'Workspace B', role: 'editor' });

    const me = await annInB.call('get', '/me');
    expect(me.body).toMatchObject({ workspaceId: b, role: 'editor' });
    expect(await flowNames(annInB)).toEqual(['Only in B', SAMPLE_FLOW_NAME].sort());
    expect(await flowNames(ann)).not.toContain('Only in B');
    // An editor in B: builds flows, but does not manage people.
    expect((await annInB.call('post', '/flows', { name: 'Ann in B' })).status).toBe(201);
    expect((await annInB.call('get', '/users')).status).toBe(403);
    expect((await annInB.call('patch', '/workspace', { name: 'Mine now' })).status).toBe(403);
    // Bea's B shows Ann as an editor; A knows nothing of Bea.
    const people = (await inB.call('get', '/users')).body.items as { email: string; role: string }[];
    expect(people.find((person) => person.email === annEmail)?.role).toBe('editor');
    const inA = (await api.admin.call('get', '/users')).body.items as { email: string }[];
    expect(inA.map((person) => person.email)).not.toContain(bea.email);
  });

  it('lists in /me only the workspaces a person belongs to', async () => {
    const person = await loner();
    const mine = (await person.client.call('post', '/workspaces', { name: 'Mine' })).body.workspaceId;
    const me = await person.client.call('get', '/me');
    expect(me.body.workspaces).toEqual([{ workspaceId: mine, workspaceName: 'Mine', role: 'admin' }]);
    const { rows } = await api.db.query<{ count: number }>('select count(*)::int as count from workspaces');
    expect(rows[0]?.count).toBeGreaterThan(2);
  });
});
