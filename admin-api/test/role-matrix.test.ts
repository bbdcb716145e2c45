/**
 * The role matrix, generated from the live OpenAPI document: every operation is called by every
 * role (admin, editor, agent, viewer) and by an API key of each role a key may have (viewer, editor),
 * without a token and with bad tokens and keys (malformed, forged, expired, revoked, unsigned, of
 * an unknown user), as a member of another workspace, and with the ids of another workspace's
 * objects (also with that workspace's X-Workspace-Id, by an admin who is no member there). Every
 * reply is checked against the operation's declared responses.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalMediaStore, mediaKey } from '@parley/db';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/modules/auth/password.js';
import { TokenSigner } from '../src/modules/auth/tokens.js';
import { MediaLinks } from '../src/modules/media/media-links.js';
import { intakeFlow } from './support/flows.js';
import {
  allows,
  fillPath,
  type Json,
  type Operation,
  operationsOf,
  type RawReply,
  ReplyChecker,
  ROLES,
  type Role,
  sampleOf,
  send,
  startRuntime,
  uniquePhone,
} from './support/openapi-contract.js';
import { startTestApi } from './support/test-api.js';

const JWT_SECRET = `role-matrix-${randomUUID()}`;
/** A conversation test of the intake flow's published version 2 (which greets "Hello there"). */
const greetingTest = {
  name: 'Greets by name',
  contact: { name: 'Ann' },
  turns: [{ user: 'hi', bot: [{ text: 'Hello there Ann!' }, { text: 'What’s your email?' }] }],
  result: { status: 'active', answers: {} },
};
const PASSWORD = 'a long enough password';

// The API and its document exist before the tests are declared: they are generated from it.
const media = new LocalMediaStore(await mkdtemp(join(tmpdir(), 'parley-role-matrix-')));
const api = await startTestApi({ jwtSecret: JWT_SECRET, simulatorTimeoutMs: 10_000 }, null, media);
const docReply = await send(api.base, 'get', '/openapi.json');
const doc: Json = docReply.body;
const operations = operationsOf(doc);
const checker = new ReplyChecker(doc);
// Destructive operations last (they also act on throwaway objects only).
const ordered = [
  ...operations.filter((operation) => operation.method !== 'delete'),
  ...operations.filter((operation) => operation.method === 'delete'),
];

interface User {
  id: string;
  email: string;
  token: string;
}

/** A workspace and objects of its own. */
interface Workspace {
  id: string;
  /** A valid flow with published versions 1 and 2. */
  flow: string;
  number: string;
  conversation: string;
  /** The phone of that conversation's contact. */
  contact: string;
  session: string;
  /** The token of one of its admins. */
  owner: string;
  /** An open invitation to join it, addressed to nobody in these tests. */
  invitation: string;
  /** The user id of that admin: a member of it. */
  member: string;
  /** The media key of a file its contact sent. */
  file: string;
  /** One of its API keys. */
  apiKey: string;
  /** One of its AI providers, whose base URL is a private address this API refuses to call. */
  aiCredential: string;
  /** One of its alert rules. */
  alertRule: string;
  /** A conversation test of its flow (which passes). */
  test: string;
  /** One of its saved replies. */
  savedReply: string;
}

let runtime: RuntimeService;
const users = {} as Record<Role, User>;
let home: Workspace;
let other: Workspace;
let badTokens: Record<string, string>;
/** The home workspace's API keys, by role. */
const keys = {} as Record<KeyRole, string>;
type KeyRole = 'viewer' | 'editor';
const KEY_ROLES: KeyRole[] = ['viewer', 'editor'];
/** Whether the document lists API keys among the operation's credentials. */
const takesKeys = (operation: Operation) =>
  ((operation.spec.security ?? []) as Record<string, unknown>[]).some((scheme) => 'apiKey' in scheme);
let otherBefore: unknown;
/** Calls made per kind of caller, for the summary. */
const tally = new Map<string, number>();

const sessionOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sid as string;

async function login(email: string, password = PASSWORD): Promise<string> {
  const reply = await send(api.base, 'post', '/auth/login', { body: { email, password } });
  if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${reply.text}`);
  return reply.body.token;
}

/** A call that must succeed (fixtures), as `token`. */
async function must(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const reply = await send(api.base, method, path, {
    token,
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
  });
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
  return reply.body;
}

async function versionId(flowId: string, version: number): Promise<string> {
  const { rows } = await api.db.query<{ id: string }>(
    'select id from flow_versions where flow_id = $1 and version = $2',
    [flowId, version],
  );
  return (rows[0] as { id: string }).id;
}

/** A conversation row as the runtime writes it. */
async function seedConversation(workspaceId: string, numberId: string, flowId: string, status: string) {
  const id = randomUUID();
  const contact = uniquePhone();
  await api.db.query(
    `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
       status, current_node, variables, answers, started_at, ended_at)
     values ($1, $2, $3, $4, 'Ann', $5, $6, $7, $8, 'n2', '{}', '{}', now(),
       case when $8 in ('active', 'handoff') then null else now() end)`,
    [id, workspaceId, numberId, contact, flowId, await versionId(flowId, 1), `m-${id}`, status],
  );
  return { id, contact };
}

/** A workspace's fixtures, made through the API by one of its admins. */
async function furnish(workspaceId: string, owner: string, conversationStatus: string): Promise<Workspace> {
  const flow = await must(owner, 'post', '/flows', { name: 'Main', definition: intakeFlow('Main') });
  await must(owner, 'post', `/flows/${flow.id}/publish`);
  const changed = intakeFlow('Main');
  (changed.nodes[0] as { config: { text: string } }).config.text = 'Hello there {{contact.name}}!';
  await must(
    owner,
    'put',
    `/flows/${flow.id}/draft`,
    { definition: changed },
    { 'if-match': flow.draft.etag },
  );
  await must(owner, 'post', `/flows/${flow.id}/publish`);
  const number = await must(owner, 'post', '/numbers', { phone: uniquePhone(), label: 'Main' });
  const session = await must(owner, 'post', '/simulator/sessions', { flowId: flow.id });
  const invitation = await must(owner, 'post', '/users', {
    email: `invitee-${randomUUID()}@example.com`,
    password: PASSWORD,
    role: 'viewer',
  });
  const apiKey = await must(owner, 'post', '/api-keys', { name: 'Fixture', role: 'viewer' });
  const alertRule = await must(owner, 'post', '/alert-rules', { name: 'Fixture', kind: 'number_down' });
  const aiCredential = await fixtureAiCredential(owner, 'Fixture');
  const test = await must(owner, 'post', `/flows/${flow.id}/tests`, greetingTest);
  const savedReply = await must(owner, 'post', '/saved-replies', { title: 'Fixture', body: 'Hello!' });
  const conversation = await seedConversation(workspaceId, number.id, flow.id, conversationStatus);
  // A document: served as application/octet-stream, the type the routes declare (pictures go inline).
  const file = mediaKey(workspaceId, conversation.contact, 'receipt.pdf');
  await media.put(file, Buffer.from('%PDF-1.4'), 'application/pdf');
  return {
    file,
    id: workspaceId,
    flow: flow.id,
    number: number.id,
    conversation: conversation.id,
    contact: conversation.contact,
    session: session.id,
    owner,
    invitation: invitation.id,
    member: (await must(owner, 'get', '/me')).id,
    apiKey: apiKey.apiKey.id,
    alertRule: alertRule.id,
    aiCredential,
    test: test.id,
    savedReply: savedReply.id,
  };
}

/**
 * An AI provider whose base URL is then set to a loopback address: this API refuses private
 * addresses before connecting, so its test calls and model lists answer without any traffic.
 */
async function fixtureAiCredential(owner: string, name: string): Promise<string> {
  const { id } = await must(owner, 'post', '/ai/credentials', { name, kind: 'openai', apiKey: 'sk-fixture' });
  await api.db.query(`update ai_credentials set base_url = 'http://127.0.0.1:9/v1' where id = $1`, [id]);
  return id as string;
}

/** What the other workspace holds, to show it untouched at the end. */
async function snapshot(workspaceId: string) {
  const { rows } = await api.db.query(
    `select
       (select json_agg(json_build_object('id', id, 'etag', draft_etag, 'deleted', deleted_at) order by id) from flows where workspace_id = $1) as flows,
       (select count(*)::int from flow_versions where workspace_id = $1) as versions,
       (select json_agg(json_build_object('id', id, 'label', label, 'desired', desired_connected, 'settings', settings) order by id) from numbers where workspace_id = $1) as numbers,
       (select json_agg(json_build_object('id', id, 'status', status) order by id) from conversations where workspace_id = $1) as conversations,
       (select count(*)::int from messages where workspace_id = $1) as messages,
       (select json_agg(json_build_object('user', user_id, 'role', role) order by user_id) from workspace_members where workspace_id = $1) as members,
       (select json_agg(id order by id) from workspace_invitations where workspace_id = $1 and accepted_at is null and declined_at is null) as invitations,
       (select json_agg(json_build_object('id', id, 'revoked', revoked_at) order by id) from api_keys where workspace_id = $1) as api_keys,
       (select json_agg(json_build_object('id', id, 'name', name, 'enabled', enabled) order by id) from alert_rules where workspace_id = $1) as alert_rules,
       (select json_agg(json_build_object('id', id, 'name', name, 'key', api_key, 'model', default_model) order by id) from ai_credentials where workspace_id = $1) as ai_credentials,
       (select json_agg(json_build_object('id', id, 'name', name) order by id) from flow_tests where workspace_id = $1) as tests,
       (select json_agg(json_build_object('flow', flow_id, 'gate', must_pass_to_publish, 'every', every_minutes)) from flow_test_settings where workspace_id = $1) as test_settings,
       (select json_agg(json_build_object('id', id, 'title', title, 'body', body) order by id) from saved_replies where workspace_id = $1) as saved_replies,
       (select json_agg(json_build_object('id', id, 'holder', assigned_user_id, 'read', read_message_id) order by id) from conversations where workspace_id = $1) as inbox,
       (select to_jsonb(w) - 'created_at' - 'updated_at' from workspaces w where id = $1) as workspace`,
    [workspaceId],
  );
  return rows[0];
}

async function revokedKey(): Promise<string> {
  const made = await must(users.admin.token, 'post', '/api-keys', { name: 'Revoked', role: 'editor' });
  await must(users.admin.token, 'delete', `/api-keys/${made.apiKey.id}`);
  return made.key;
}

async function expiredKey(): Promise<string> {
  const made = await must(users.admin.token, 'post', '/api-keys', { name: 'Expired', role: 'editor' });
  await api.db.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [
    made.apiKey.id,
  ]);
  return made.key;
}

// ---------------------------------------------------------------------------------------------
// What each operation is called with.

interface Plan {
  values: Record<string, string | number>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Overrides the caller's token (sign-out must not end the caller's own session). */
  token?: string;
  /** Where the object acted on can be read back (DELETE), as the owner of the workspace. */
  readBack?: string;
  /** A query string (with its `?`). */
  query?: string;
}

interface PlanContext {
  role: Role | null;
  workspace: Workspace;
  /** Called with the other workspace's ids. */
  foreign: boolean;
}

/** Path values of a workspace's fixtures: `{id}` by the resource the path starts with. */
function valuesFor(path: string, workspace: Workspace): Record<string, string | number> {
  const id = path.startsWith('/flows/')
    ? workspace.flow
    : path.startsWith('/numbers/')
      ? workspace.number
      : path.startsWith('/conversations/')
        ? workspace.conversation
        : path.startsWith('/simulator/sessions/')
          ? workspace.session
          : path.startsWith('/invitations/') || path.startsWith('/users/invitations/')
            ? workspace.invitation
            : path.startsWith('/users/')
              ? workspace.member
              : path.startsWith('/api-keys/')
                ? workspace.apiKey
                : path.startsWith('/alert-rules/')
                  ? workspace.alertRule
                  : path.startsWith('/saved-replies/')
                    ? workspace.savedReply
                    : path.startsWith('/ai/credentials/') || path.startsWith('/ai/providers/')
                      ? workspace.aiCredential
                      : undefined;
  if (path.includes('{id}') && id === undefined) throw new Error(`no fixture for {id} in ${path}: add one`);
  const [workspaceId, folder, file] = workspace.file.split('/') as [string, string, string];
  return {
    ...(id === undefined ? {} : { id }),
    v: 1,
    a: 1,
    b: 2,
    phone: workspace.contact,
    testId: workspace.test,
    workspaceId,
    folder,
    file,
  };
}

type Planner = (operation: Operation, context: PlanContext) => Promise<Partial<Plan>>;

const throwaway = {
  flow: async () => (await must(home.owner, 'post', '/flows', { name: 'Throwaway' })).id as string,
  deletedFlow: async () => {
    const id = (await must(home.owner, 'post', '/flows', { name: 'Deleted throwaway' })).id as string;
    await must(home.owner, 'delete', `/flows/${id}`);
    return id;
  },
  number: async () => (await must(home.owner, 'post', '/numbers', { phone: uniquePhone() })).id as string,
  session: async () =>
    (await must(home.owner, 'post', '/simulator/sessions', { flowId: home.flow })).id as string,
  handoff: async () => (await seedConversation(home.id, home.number, home.flow, 'handoff')).id,
  /** A hand-off with one message from its contact, to mark read. */
  handoffMessage: async () => {
    const { id, contact } = await seedConversation(home.id, home.number, home.flow, 'handoff');
    const { rows } = await api.db.query<{ id: string }>(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, wa_message_id, type, body, status)
       values ($1, $2, $3, $4, 'in', $5, 'text', '{"text":"hello"}', 'processed') returning id`,
      [home.id, home.number, contact, id, `wa-${id}`],
    );
    return { id, messageId: Number((rows[0] as { id: string }).id) };
  },
  savedReply: async () =>
    (await must(home.owner, 'post', '/saved-replies', { title: `Throwaway ${randomUUID()}`, body: 'Hi' }))
      .id as string,
  contact: () => seedConversation(home.id, home.number, home.flow, 'completed'),
  /** A person who joined the home workspace with a role, signed in: theirs to lose. */
  signedIn: async (role: Role = 'viewer') => {
    const email = `member-${randomUUID()}@example.com`;
    const invited = await must(home.owner, 'post', '/users', { email, password: PASSWORD, role });
    const token = await login(email);
    await must(token, 'post', `/invitations/${invited.id}/accept`);
    return { id: (await must(token, 'get', '/me')).id as string, token };
  },
  member: async () => (await throwaway.signedIn()).id,
  apiKey: async () =>
    (await must(home.owner, 'post', '/api-keys', { name: 'Throwaway', role: 'viewer' })).apiKey.id as string,
  aiCredential: () => fixtureAiCredential(home.owner, `Throwaway ${randomUUID().slice(0, 8)}`),
  alertRule: async () =>
    (await must(home.owner, 'post', '/alert-rules', { name: 'Throwaway', kind: 'handoff_waiting' }))
      .id as string,
  /** A conversation test of the home flow, to change or delete. */
  test: async () => (await must(home.owner, 'post', `/flows/${home.flow}/tests`, greetingTest)).id as string,
  invitation: async () =>
    (
      await must(home.owner, 'post', '/users', {
        email: `throwaway-${randomUUID()}@example.com`,
        password: PASSWORD,
        role: 'viewer',
      })
    ).id as string,
};

/** An open invitation to a workspace of its own, addressed to `email` (so accepting it changes neither workspace here). */
async function invitationFor(email: string): Promise<string> {
  const { rows } = await api.db.query<{ id: string }>(
    `with inviting as (insert into workspaces (name) values ('Inviting') returning id)
     insert into workspace_invitations (workspace_id, email, role, expires_at)
     select id, $1, 'editor', now() + interval '1 day' from inviting returning id`,
    [email],
  );
  return (rows[0] as { id: string }).id;
}

/**
 * Answering an invitation: one addressed to the caller; with the other workspace's ids, the other
 * workspace's own open invitation (addressed to someone else: 404, and it stays open).
 */
const answering: Planner = async (_operation, { role, workspace, foreign }) => ({
  values: { id: foreign ? workspace.invitation : await invitationFor(users[role ?? 'viewer'].email) },
});

/** Deleting: a throwaway object at home; the real one of the other workspace (which must survive). */
const deleting =
  (make: () => Promise<string>, resource: string): Planner =>
  async (_operation, { workspace, foreign }) => {
    const id = foreign
      ? resource === 'flows'
        ? workspace.flow
        : resource === 'numbers'
          ? workspace.number
          : workspace.session
      : await make();
    return { values: { id }, readBack: `/${resource}/${id}` };
  };

const PLANS: Record<string, Planner> = {
  'POST /auth/login': async () => ({ body: { email: users.viewer.email, password: PASSWORD } }),
  'POST /auth/logout': async (_operation, { role }) =>
    role === null ? {} : { token: await login(users[role].email) },
  // Acting on one's own account: a throwaway person's, so the matrix's own sessions stay.
  'POST /auth/logout-everywhere': async (_operation, { role }) =>
    role === null ? {} : { token: (await throwaway.signedIn(role)).token },
  'POST /auth/password': async (_operation, { role }) => ({
    body: { currentPassword: PASSWORD, newPassword: 'another long enough password' },
    ...(role === null ? {} : { token: (await throwaway.signedIn(role)).token }),
  }),
  // Resetting: a fresh code for a throwaway member each time (each works once).
  'POST /auth/password-reset': async () => {
    const id = await throwaway.member();
    const { code } = await must(home.owner, 'post', `/users/${id}/password-reset`);
    return { body: { code, newPassword: 'another long enough password' } };
  },
  'POST /users/{id}/password-reset': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.member : await throwaway.member() },
  }),
  'POST /users': async () => ({
    body: { email: `user-${randomUUID()}@example.com`, password: PASSWORD, role: 'viewer' },
  }),
  'POST /flows/import': async () => ({ body: intakeFlow('Imported') }),
  'PUT /flows/{id}/draft': async (_operation, { workspace }) => {
    const flow = await must(workspace.owner, 'get', `/flows/${workspace.flow}`);
    return { body: { definition: flow.draft.definition }, headers: { 'if-match': `"${flow.draft.etag}"` } };
  },
  // Rolling back replaces the draft: with its current etag, as a save.
  'POST /flows/{id}/versions/{v}/rollback': async (_operation, { workspace }) => {
    const flow = await must(workspace.owner, 'get', `/flows/${workspace.flow}`);
    return { headers: { 'if-match': `"${flow.draft.etag}"` } };
  },
  // Restoring: a deleted throwaway flow at home; the other workspace's flow is not the caller's (404).
  'POST /flows/{id}/restore': async (_operation, { foreign }) =>
    foreign ? {} : { values: { id: await throwaway.deletedFlow() } },
  'POST /numbers': async () => ({ body: { phone: uniquePhone(), label: 'Another' } }),
  'PUT /numbers/{id}/flow': async () => ({ body: { flowId: home.flow } }),
  'POST /simulator/sessions': async (_operation, { workspace }) => ({ body: { flowId: workspace.flow } }),
  'POST /simulator/sessions/{id}/messages': async () => ({ body: { text: 'hi' } }),
  'POST /simulator/sessions/{id}/files': async () => ({
    body: { name: 'photo.png', mimeType: 'image/png', data: Buffer.from('a picture').toString('base64') },
  }),
  // A link as an export writes it, signed with the API's secret.
  'GET /media/signed/{workspaceId}/{folder}/{file}': async (_operation, { workspace }) => {
    const { expires, signature } = new MediaLinks(JWT_SECRET).sign(workspace.file, Date.now() + 3600_000);
    return { query: `?expires=${expires}&signature=${signature}` };
  },
  'POST /conversations/{id}/release': async (_operation, { workspace, foreign }) =>
    foreign ? { values: { id: workspace.conversation } } : { values: { id: await throwaway.handoff() } },
  // Inbox actions: each on a fresh hand-off at home, so one role's take or reply does not hold it for the next.
  'POST /conversations/{id}/messages': async (_operation, { foreign }) => ({
    ...(foreign ? {} : { values: { id: await throwaway.handoff() } }),
    body: { text: 'Hello from the team' },
  }),
  'POST /conversations/{id}/attachments': async () => ({
    body: { name: 'photo.png', mimeType: 'image/png', data: Buffer.from('a picture').toString('base64') },
  }),
  'PUT /conversations/{id}/assignee': async (_operation, { role, foreign }) => ({
    ...(foreign ? {} : { values: { id: await throwaway.handoff() } }),
    body: { userId: users[role ?? 'agent'].id },
  }),
  'POST /conversations/{id}/resume': async (_operation, { foreign }) => ({
    ...(foreign ? {} : { values: { id: await throwaway.handoff() } }),
    body: { nodeId: 'n2' },
  }),
  'POST /conversations/{id}/read': async (_operation, { foreign }) => {
    if (foreign) return { body: { messageId: 1 } };
    const { id, messageId } = await throwaway.handoffMessage();
    return { values: { id }, body: { messageId } };
  },
  'POST /saved-replies': async () => ({ body: { title: `Matrix ${randomUUID()}`, body: 'Hello!' } }),
  'PUT /saved-replies/{id}': async (_operation, { foreign }) => ({
    ...(foreign ? {} : { values: { id: await throwaway.savedReply() } }),
    body: { title: `Renamed ${randomUUID()}`, body: 'Hello again!' },
  }),
  // Deleting: a throwaway saved reply at home; the other workspace's own one (which must stay).
  'DELETE /saved-replies/{id}': async (_operation, { foreign }) =>
    foreign ? {} : { values: { id: await throwaway.savedReply() } },
  'PUT /workspace/retention': async () => ({ body: { retentionDays: 3650 } }),
  'PUT /workspace/business-hours': async () => ({ body: { businessHours: null } }),
  // Creating a workspace: a new one each time, which leaves both workspaces here as they are.
  'POST /workspaces': async () => ({ body: { name: `Created ${randomUUID().slice(0, 8)}` } }),
  // Erasing a contact: a throwaway contact at home; elsewhere, the other workspace's (nothing erased).
  'DELETE /contacts/{phone}': async (_operation, { workspace, foreign }) => {
    const { id, contact } = foreign
      ? { id: workspace.conversation, contact: workspace.contact }
      : await throwaway.contact();
    return { values: { phone: contact }, readBack: `/conversations/${id}` };
  },
  'POST /invitations/{id}/accept': answering,
  'POST /invitations/{id}/decline': answering,
  // Revoking: a throwaway invitation at home; the other workspace's own one (which must stay open).
  'DELETE /users/invitations/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.invitation : await throwaway.invitation() },
  }),
  // Changing or removing a member: a throwaway member at home; the other workspace's admin (who stays).
  'PATCH /users/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.member : await throwaway.member() },
    body: { role: 'editor' },
  }),
  'DELETE /users/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.member : await throwaway.member() },
  }),
  'POST /api-keys': async () => ({ body: { name: 'Matrix', role: 'editor', expiresInDays: 30 } }),
  // Revoking: a throwaway key at home; the other workspace's own one (which must keep working).
  'DELETE /api-keys/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.apiKey : await throwaway.apiKey() },
  }),
  // Names are unique in a workspace: a new one for each call.
  'POST /ai/credentials': async () => ({
    body: { name: `Matrix ${randomUUID().slice(0, 8)}`, kind: 'anthropic', apiKey: 'sk-matrix' },
  }),
  'PUT /ai/credentials/{id}': async () => ({ body: { defaultModel: 'gpt-4o', apiKey: 'sk-replaced' } }),
  // Removing: a throwaway provider at home; the other workspace's own one (which must stay).
  'DELETE /ai/credentials/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.aiCredential : await throwaway.aiCredential() },
  }),
  'POST /ai/credentials/{id}/test': async () => ({ body: {} }),
  'PUT /ai/quota': async () => ({ body: { monthlyTokens: 5_000_000 } }),
  'POST /alert-rules': async () => ({
    body: { name: 'Matrix', kind: 'flow_failure_rate', params: { percent: 50 }, emails: ['ops@example.com'] },
  }),
  'PATCH /alert-rules/{id}': async () => ({ body: { name: 'Renamed', params: { minutes: 30 } } }),
  // Deleting: a throwaway rule at home; the other workspace's own one (which must stay).
  'DELETE /alert-rules/{id}': async (_operation, { workspace, foreign }) => ({
    values: { id: foreign ? workspace.alertRule : await throwaway.alertRule() },
  }),
  // Adding tests: to a throwaway flow at home, so the home flow's runs stay one test long.
  'POST /flows/{id}/tests': async (_operation, { foreign }) => ({
    ...(foreign ? {} : { values: { id: await throwaway.flow() } }),
    body: greetingTest,
  }),
  'PUT /flows/{id}/tests/{testId}': async (_operation, { foreign }) => ({
    ...(foreign ? {} : { values: { testId: await throwaway.test() } }),
    body: greetingTest,
  }),
  'DELETE /flows/{id}/tests/{testId}': async (_operation, { foreign }) =>
    foreign ? {} : { values: { testId: await throwaway.test() } },
  // The gate stays off: the matrix publishes too.
  'PUT /flows/{id}/test-settings': async () => ({ body: { mustPassToPublish: false, everyMinutes: 60 } }),
  'POST /flows/{id}/tests/run': async () => ({ body: { version: 2 } }),
  'DELETE /flows/{id}': deleting(() => throwaway.flow(), 'flows'),
  'DELETE /numbers/{id}': deleting(() => throwaway.number(), 'numbers'),
  'DELETE /simulator/sessions/{id}': deleting(() => throwaway.session(), 'simulator/sessions'),
};

async function planFor(operation: Operation, context: PlanContext): Promise<Plan> {
  const base: Plan = {
    values: valuesFor(operation.path, context.workspace),
    ...(operation.body === undefined ? {} : { body: sampleOf(operation.body) }),
  };
  const special = await PLANS[operation.key]?.(operation, context);
  return { ...base, ...special, values: { ...base.values, ...special?.values } };
}

const streams = (operation: Operation) =>
  Object.values(operation.spec.responses as Record<string, Json>).some(
    (response) => response.content?.['text/event-stream'] !== undefined,
  );
const successes = (operation: Operation) =>
  Object.keys(operation.spec.responses)
    .map(Number)
    .filter((status) => status >= 200 && status < 300);

// ---------------------------------------------------------------------------------------------

describe('role matrix (generated from the live OpenAPI document)', () => {
  beforeAll(async () => {
    runtime = await startRuntime(api.db, api.bus);
    for (const role of ROLES) {
      const email = `${role}-${randomUUID().slice(0, 8)}@parley.test`;
      const invited = await must(api.admin.token, 'post', '/users', { email, password: PASSWORD, role });
      const signedIn = await send(api.base, 'post', '/auth/login', { body: { email, password: PASSWORD } });
      await must(signedIn.body.token, 'post', `/invitations/${invited.id}/accept`);
      users[role] = { id: signedIn.body.user.id, email, token: signedIn.body.token };
    }
    home = await furnish(api.workspaceId, users.admin.token, 'completed');

    // The other workspace: inserted with SQL, with an admin of its own.
    const { rows } = await api.db.query<{ id: string }>(
      `insert into workspaces (name) values ('Elsewhere') returning id`,
    );
    const otherId = (rows[0] as { id: string }).id;
    const otherEmail = `elsewhere-${randomUUID().slice(0, 8)}@parley.test`;
    const { rows: created } = await api.db.query<{ id: string }>(
      'insert into users (email, password_hash) values ($1, $2) returning id',
      [otherEmail, await hashPassword(PASSWORD)],
    );
    await api.db.query(
      `insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')`,
      [otherId, (created[0] as { id: string }).id],
    );
    // Handed off, so a release leaking across workspaces would answer 202 rather than 409.
    other = await furnish(otherId, await login(otherEmail), 'handoff');
    otherBefore = await snapshot(other.id);

    const viewerSession = sessionOf(users.viewer.token);
    const revoked = await login(users.viewer.email);
    expect((await send(api.base, 'post', '/auth/logout', { token: revoked })).status).toBe(204);
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url'),
      Buffer.from(
        JSON.stringify({ sub: users.admin.id, sid: sessionOf(users.admin.token), iss: 'parley' }),
      ).toString('base64url'),
      '',
    ].join('.');
    badTokens = {
      'malformed token': 'not-a-jwt',
      'forged signature': await new TokenSigner('another secret').sign({
        userId: users.admin.id,
        sessionId: sessionOf(users.admin.token),
      }),
      'expired token': await new TokenSigner(JWT_SECRET).sign(
        { userId: users.viewer.id, sessionId: viewerSession },
        Date.now() - 13 * 3600 * 1000,
      ),
      'revoked token': revoked,
      'unsigned token': unsigned,
      'token of an unknown user': await new TokenSigner(JWT_SECRET).sign({
        userId: randomUUID(),
        sessionId: randomUUID(),
      }),
      'unknown API key': `pk_00000000_${'A'.repeat(43)}`,
      'malformed API key': 'pk_not-a-key',
      'revoked API key': await revokedKey(),
      'expired API key': await expiredKey(),
    };
    for (const role of KEY_ROLES) {
      keys[role] = (await must(users.admin.token, 'post', '/api-keys', { name: `Matrix ${role}`, role })).key;
    }
  });

  afterAll(async () => {
    const calls = [...tally.values()].reduce((sum, count) => sum + count, 0);
    console.info(
      `role matrix: ${operations.length} operations, ${calls} checked calls (${[...tally].map(([kind, count]) => `${kind}: ${count}`).join(', ')})`,
    );
    await runtime?.stop();
    await api.close();
  });

  it('declares the roles product decided (a change here is deliberate)', () => {
    expect(Object.fromEntries(operations.map((operation) => [operation.key, operation.access]))).toEqual({
      'POST /auth/login': 'public',
      'POST /auth/password-reset': 'public',
      'POST /auth/logout': 'viewer',
      'POST /auth/logout-everywhere': 'signed_in',
      'POST /auth/password': 'signed_in',
      'GET /me': 'viewer',
      'GET /users': 'admin',
      'POST /users': 'admin',
      'PATCH /users/{id}': 'admin',
      'DELETE /users/{id}': 'admin',
      'POST /users/{id}/password-reset': 'admin',
      'GET /users/invitations': 'admin',
      'DELETE /users/invitations/{id}': 'admin',
      'GET /api-keys': 'admin',
      'POST /api-keys': 'admin',
      'DELETE /api-keys/{id}': 'admin',
      'GET /ai/credentials': 'admin',
      'POST /ai/credentials': 'admin',
      'PUT /ai/credentials/{id}': 'admin',
      'DELETE /ai/credentials/{id}': 'admin',
      'POST /ai/credentials/{id}/test': 'admin',
      'GET /ai/credentials/{id}/models': 'admin',
      'GET /ai/usage': 'viewer',
      'PUT /ai/quota': 'admin',
      'GET /ai/providers': 'editor',
      'GET /ai/providers/{id}/models': 'editor',
      'GET /alerts': 'viewer',
      'GET /alert-rules': 'admin',
      'POST /alert-rules': 'admin',
      'PATCH /alert-rules/{id}': 'admin',
      'DELETE /alert-rules/{id}': 'admin',
      'GET /invitations': 'signed_in',
      'POST /invitations/{id}/accept': 'signed_in',
      'POST /invitations/{id}/decline': 'signed_in',
      'GET /flows': 'viewer',
      'POST /flows': 'editor',
      'POST /flows/import': 'editor',
      'GET /flows/{id}': 'viewer',
      'DELETE /flows/{id}': 'editor',
      'PUT /flows/{id}/draft': 'editor',
      'POST /flows/{id}/validate': 'viewer',
      'POST /flows/{id}/publish': 'editor',
      'GET /flows/{id}/versions': 'viewer',
      'GET /flows/{id}/versions/{v}': 'viewer',
      'GET /flows/{id}/versions/{a}/diff/{b}': 'viewer',
      'POST /flows/{id}/versions/{v}/rollback': 'editor',
      'POST /flows/{id}/restore': 'editor',
      'GET /flows/{id}/export': 'viewer',
      'POST /flows/{id}/duplicate': 'editor',
      'GET /numbers': 'viewer',
      'POST /numbers': 'admin',
      'GET /numbers/{id}': 'viewer',
      'PATCH /numbers/{id}': 'admin',
      'DELETE /numbers/{id}': 'admin',
      'POST /numbers/{id}/connect': 'admin',
      'POST /numbers/{id}/cancel': 'admin',
      'POST /numbers/{id}/logout': 'admin',
      'PUT /numbers/{id}/flow': 'editor',
      'GET /numbers/{id}/events': 'viewer',
      'GET /policy': 'viewer',
      'POST /simulator/sessions': 'editor',
      'GET /simulator/sessions/{id}': 'editor',
      'GET /status': 'admin',
      'DELETE /simulator/sessions/{id}': 'editor',
      'POST /simulator/sessions/{id}/messages': 'editor',
      'GET /conversations': 'viewer',
      'GET /conversations/{id}': 'viewer',
      'POST /conversations/{id}/release': 'agent',
      'POST /conversations/{id}/messages': 'agent',
      'POST /conversations/{id}/attachments': 'agent',
      'PUT /conversations/{id}/assignee': 'agent',
      'POST /conversations/{id}/resume': 'agent',
      'POST /conversations/{id}/read': 'agent',
      'GET /inbox': 'agent',
      'GET /inbox/summary': 'agent',
      'GET /inbox/people': 'agent',
      'GET /inbox/events': 'agent',
      'GET /saved-replies': 'agent',
      'POST /saved-replies': 'agent',
      'PUT /saved-replies/{id}': 'agent',
      'DELETE /saved-replies/{id}': 'agent',
      'GET /flows/{id}/responses': 'viewer',
      'GET /flows/{id}/responses/export': 'viewer',
      'GET /flows/{id}/analytics': 'viewer',
      'GET /audit': 'admin',
      'GET /media/{workspaceId}/{folder}/{file}': 'viewer',
      'GET /media/signed/{workspaceId}/{folder}/{file}': 'public',
      'POST /simulator/sessions/{id}/files': 'editor',
      'POST /simulator/sessions/{id}/locations': 'editor',
      'GET /workspace/retention': 'admin',
      'PUT /workspace/retention': 'admin',
      'PUT /workspace/business-hours': 'admin',
      'DELETE /contacts/{phone}': 'admin',
      'GET /workspace': 'viewer',
      'PATCH /workspace': 'admin',
      'POST /workspaces': 'signed_in',
      'GET /flows/{id}/tests': 'viewer',
      'POST /flows/{id}/tests': 'editor',
      'PUT /flows/{id}/tests/{testId}': 'editor',
      'DELETE /flows/{id}/tests/{testId}': 'editor',
      'PUT /flows/{id}/test-settings': 'editor',
      'POST /flows/{id}/tests/run': 'editor',
      'GET /flows/{id}/test-runs': 'viewer',
    });
  });

  it('serves its document without a token, listing every operation with its role', () => {
    expect(docReply.status).toBe(200);
    expect(operations.length).toBeGreaterThan(30);
    for (const operation of operations) {
      expect(['public', 'signed_in', ...ROLES], operation.key).toContain(operation.access);
    }
    expect(
      operations.filter((operation) => operation.access === 'public').map((operation) => operation.key),
    ).toEqual([
      'POST /auth/login',
      'POST /auth/password-reset',
      'GET /media/signed/{workspaceId}/{folder}/{file}',
    ]);
  });

  for (const operation of ordered) {
    it(`${operation.key} (${operation.access})`, async () => {
      const problems: string[] = [];
      const call = async (
        context: string,
        plan: Plan,
        token: string | undefined,
        workspace?: string,
      ): Promise<RawReply> => {
        const path = `${fillPath(operation.path, plan.values)}${plan.query ?? ''}`;
        const reply = await send(api.base, operation.method, path, {
          ...(token === undefined ? {} : { token }),
          ...(plan.body === undefined ? {} : { body: plan.body }),
          ...(plan.headers === undefined ? {} : { headers: plan.headers }),
          ...(workspace === undefined ? {} : { workspace }),
          stream: streams(operation),
        });
        problems.push(...checker.check(operation, reply, context));
        const kind =
          context.startsWith('other workspace') || context.includes("other workspace's")
            ? 'other workspace ids'
            : context;
        tally.set(kind, (tally.get(kind) ?? 0) + 1);
        return reply;
      };
      const readBack = async (plan: Plan, owner: string, expected: number, context: string) => {
        if (plan.readBack === undefined) return;
        const reply = await send(api.base, 'get', plan.readBack, { token: owner });
        if (reply.status !== expected)
          problems.push(
            `${operation.key} [${context}]: GET ${plan.readBack} afterwards → ${reply.status}, expected ${expected}`,
          );
      };
      const expectSuccess = (reply: RawReply, context: string) => {
        if (!successes(operation).includes(reply.status)) {
          problems.push(
            `${operation.key} [${context}] → ${reply.status}, expected ${successes(operation).join('/')}: ${reply.text.slice(0, 200)}`,
          );
        }
      };

      // Without a valid token: 401 (public operations work the same).
      for (const [context, token] of [['no token', undefined], ...Object.entries(badTokens)] as [
        string,
        string | undefined,
      ][]) {
        const plan = await planFor(operation, { role: null, workspace: home, foreign: false });
        const reply = await call(context, plan, token);
        if (operation.access === 'public') expectSuccess(reply, context);
        else if (reply.status !== 401)
          problems.push(`${operation.key} [${context}] → ${reply.status}, expected 401`);
        await readBack(plan, home.owner, 200, context);
      }

      // Each role: below the operation's role 403 (and nothing done), at or above it a success.
      for (const role of ROLES) {
        const plan = await planFor(operation, { role, workspace: home, foreign: false });
        const reply = await call(role, plan, plan.token ?? users[role].token);
        const allowed = allows(operation, role);
        if (allowed) expectSuccess(reply, role);
        else if (reply.status !== 403)
          problems.push(`${operation.key} [${role}] → ${reply.status}, expected 403`);
        await readBack(plan, home.owner, allowed ? 404 : 200, role);
      }

      // API keys: where the document lists them, as far as the key's role goes; elsewhere 403 (public
      // operations work the same).
      for (const role of KEY_ROLES) {
        const plan = await planFor(operation, { role, workspace: home, foreign: false });
        const reply = await call(`${role} API key`, plan, keys[role]);
        const allowed = operation.access === 'public' || (takesKeys(operation) && allows(operation, role));
        if (allowed) expectSuccess(reply, `${role} API key`);
        else if (reply.status !== 403)
          problems.push(`${operation.key} [${role} API key] → ${reply.status}, expected 403`);
        await readBack(plan, home.owner, allowed ? 404 : 200, `${role} API key`);
      }

      if (operation.access !== 'public') {
        // Acting in a workspace the caller is not a member of: 404, whatever the role asked for.
        // Signed-in operations act on the user, not a workspace: the header is ignored.
        const plan = await planFor(operation, { role: 'admin', workspace: home, foreign: false });
        const reply = await call(
          'X-Workspace-Id of a workspace not theirs',
          plan,
          plan.token ?? users.admin.token,
          other.id,
        );
        if (operation.access === 'signed_in') expectSuccess(reply, "another workspace's header");
        else if (reply.status !== 404)
          problems.push(`${operation.key} [another workspace's header] → ${reply.status}, expected 404`);
        await readBack(plan, home.owner, 200, 'another workspace header');
      }

      // The other workspace's ids: 404 for every role allowed to call the operation, and nothing done.
      // A contact is not an object of a workspace: erasing the other workspace's one erases nothing here.
      const erasing = operation.pathParams.includes('phone');
      if (operation.pathParams.includes('id') || erasing) {
        for (const role of ROLES.filter((role) => allows(operation, role))) {
          const plan = await planFor(operation, { role, workspace: other, foreign: true });
          const reply = await call(
            `${role} with the other workspace's ids`,
            plan,
            plan.token ?? users[role].token,
          );
          if (erasing) {
            if (reply.status !== 200 || Object.values(reply.body).some((count) => count !== 0)) {
              problems.push(
                `${operation.key} [${role}, other workspace's contact] → ${reply.status} ${reply.text.slice(0, 200)}, expected 200 erasing nothing`,
              );
            }
          } else if (reply.status !== 404) {
            problems.push(
              `${operation.key} [${role}, other workspace's id] → ${reply.status}, expected 404: ${reply.text.slice(0, 200)}`,
            );
          }
          await readBack(plan, other.owner, 200, `${role}, other workspace`);
        }
        for (const role of KEY_ROLES.filter((role) => takesKeys(operation) && allows(operation, role))) {
          const plan = await planFor(operation, { role, workspace: other, foreign: true });
          const reply = await call(`${role} API key with the other workspace's ids`, plan, keys[role]);
          const expected = erasing ? 200 : 404;
          if (reply.status !== expected) {
            problems.push(
              `${operation.key} [${role} API key, other workspace's ids] → ${reply.status}, expected ${expected}: ${reply.text.slice(0, 200)}`,
            );
          }
          await readBack(plan, other.owner, 200, `${role} API key, other workspace`);
        }
        // The other workspace's ids with its X-Workspace-Id, not being a member there: 404 all the same.
        if (allows(operation, 'admin')) {
          const plan = await planFor(operation, { role: 'admin', workspace: other, foreign: true });
          const reply = await call(
            "admin with the other workspace's ids and header",
            plan,
            plan.token ?? users.admin.token,
            other.id,
          );
          if (reply.status !== 404)
            problems.push(
              `${operation.key} [admin, other workspace's ids and header] → ${reply.status}, expected 404: ${reply.text.slice(0, 200)}`,
            );
          await readBack(plan, other.owner, 200, 'admin, other workspace ids and header');
        }
      }

      expect(problems).toEqual([]);
    });
  }

  it('answers 404 for ids of another kind and for ids of the other workspace carried in bodies or filters', async () => {
    const as = (method: string, path: string, body?: unknown) =>
      send(api.base, method, path, { token: users.admin.token, ...(body === undefined ? {} : { body }) });
    // A simulator session is a hidden number; a number is not a session; a flow is not a conversation.
    expect((await as('get', `/numbers/${home.session}`)).status).toBe(404);
    expect((await as('get', `/simulator/sessions/${home.number}`)).status).toBe(404);
    expect((await as('get', `/conversations/${home.flow}`)).status).toBe(404);
    expect((await as('get', `/flows/${home.number}`)).status).toBe(404);
    expect((await as('post', '/simulator/sessions', { flowId: other.flow })).status).toBe(404);
    const assigned = await as('put', `/numbers/${home.number}/flow`, { flowId: other.flow });
    expect(assigned.status).toBe(422);
    const filtered = await as(
      'get',
      `/conversations?flowId=${other.flow}&numberId=${other.number}&includeTest=true`,
    );
    expect(filtered.status).toBe(200);
    expect(filtered.body.items).toEqual([]);
  });

  it('lists in /me only the workspaces each person belongs to', async () => {
    for (const [who, token, own] of [
      ...ROLES.map((role) => [role, users[role].token, home.id] as const),
      ['the other workspace’s admin', other.owner, other.id] as const,
    ]) {
      const { rows } = await api.db.query<{ workspace_id: string }>(
        `select workspace_id from workspace_members
         where user_id = (select user_id from auth_sessions where id = $1) order by workspace_id`,
        [sessionOf(token)],
      );
      const listed = (await must(token, 'get', '/me')).workspaces.map(
        (workspace: { workspaceId: string }) => workspace.workspaceId,
      );
      expect(listed.sort(), who).toEqual(rows.map((row) => row.workspace_id));
      expect(listed, who).toContain(own);
      expect(listed, who).not.toContain(own === home.id ? other.id : home.id);
    }
  });

  it('left the other workspace untouched', async () => {
    expect(await snapshot(other.id)).toEqual(otherBefore);
  });
});
