/**
 * What each role may do: one table, read by the API (which refuses to start when a route's access
 * disagrees with it) and by the admin UI (which describes the roles from it).
 */
import type { Role } from './enums.js';

/** Each role may do what the roles below it may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 1, agent: 2, editor: 3, admin: 4 };

export const atLeast = (role: Role, needed: Role): boolean => ROLE_RANK[role] >= ROLE_RANK[needed];

export const ROLE_TITLES: Record<Role, string> = {
  viewer: 'Viewer',
  agent: 'Agent',
  editor: 'Editor',
  admin: 'Admin',
};

export interface Capability {
  /** The least role that may do it; `signed_in`: anyone signed in, member of a workspace or not. */
  role: Role | 'signed_in';
  /** What it lets a person do, as the users page says it. */
  does: string;
  /** The API operations (`METHOD /path`) it covers. */
  operations: readonly string[];
  /** Only for people signed in: an API key is refused these, whatever its role. */
  peopleOnly?: true;
}

export const CAPABILITIES: readonly Capability[] = [
  {
    role: 'signed_in',
    does: 'Create new workspaces, as their admin',
    operations: ['POST /workspaces'],
  },
  {
    role: 'signed_in',
    does: 'Accept or decline invitations to other workspaces',
    operations: ['GET /invitations', 'POST /invitations/{id}/accept', 'POST /invitations/{id}/decline'],
  },
  {
    role: 'signed_in',
    does: 'Change their own password and sign out on every device',
    operations: ['POST /auth/password', 'POST /auth/logout-everywhere'],
  },
  {
    role: 'viewer',
    does: 'See flows, their versions and what changed between them',
    operations: [
      'GET /flows',
      'GET /flows/{id}',
      'POST /flows/{id}/validate',
      'GET /flows/{id}/versions',
      'GET /flows/{id}/versions/{v}',
      'GET /flows/{id}/versions/{a}/diff/{b}',
      'GET /flows/{id}/export',
    ],
  },
  {
    role: 'viewer',
    does: 'See a flow’s conversation tests and their results',
    operations: ['GET /flows/{id}/tests', 'GET /flows/{id}/test-runs'],
  },
  {
    role: 'viewer',
    does: 'Read conversations, responses and analytics, and export responses',
    operations: [
      'GET /conversations',
      'GET /conversations/{id}',
      'GET /flows/{id}/responses',
      'GET /flows/{id}/responses/export',
      'GET /flows/{id}/analytics',
      'GET /media/{workspaceId}/{folder}/{file}',
    ],
  },
  {
    // Reporting, like analytics: it holds no key or message, only flows and models viewers see
    // anyway; whoever watches the bill is often not someone who builds flows.
    role: 'viewer',
    does: 'See what the AI blocks used each month, its estimated cost, and the monthly quota',
    operations: ['GET /ai/usage'],
  },
  {
    role: 'viewer',
    does: 'See the WhatsApp numbers and whether they are connected',
    operations: ['GET /numbers', 'GET /numbers/{id}', 'GET /numbers/{id}/events'],
  },
  {
    role: 'viewer',
    does: 'See open and recent alerts, and whether their notices were delivered',
    operations: ['GET /alerts'],
  },
  {
    role: 'viewer',
    does: 'See the workspace and what this server allows',
    operations: ['GET /workspace', 'GET /policy'],
  },
  {
    role: 'viewer',
    does: 'See their own account and sign out',
    operations: ['GET /me', 'POST /auth/logout'],
    peopleOnly: true,
  },
  {
    role: 'agent',
    does: 'Answer contacts handed off to a person in the inbox, with text, pictures and documents',
    operations: [
      'GET /inbox',
      'GET /inbox/summary',
      'GET /inbox/events',
      'POST /conversations/{id}/messages',
      'POST /conversations/{id}/attachments',
      'POST /conversations/{id}/read',
    ],
  },
  {
    role: 'agent',
    does: 'Take conversations, pass them to a colleague, and hand them back to the bot',
    operations: [
      'GET /inbox/people',
      'PUT /conversations/{id}/assignee',
      'POST /conversations/{id}/resume',
      'POST /conversations/{id}/release',
    ],
  },
  {
    role: 'agent',
    does: 'Use, write and change the saved replies',
    operations: [
      'GET /saved-replies',
      'POST /saved-replies',
      'PUT /saved-replies/{id}',
      'DELETE /saved-replies/{id}',
    ],
  },
  {
    role: 'editor',
    does: 'Build, import, copy, delete and restore flows',
    operations: [
      'POST /flows',
      'POST /flows/import',
      'PUT /flows/{id}/draft',
      'POST /flows/{id}/duplicate',
      'DELETE /flows/{id}',
      'POST /flows/{id}/restore',
    ],
  },
  {
    role: 'editor',
    does: 'Publish flows and go back to an earlier version',
    operations: ['POST /flows/{id}/publish', 'POST /flows/{id}/versions/{v}/rollback'],
  },
  {
    role: 'editor',
    does: 'Write, run and schedule a flow’s conversation tests, and make publishing wait for them',
    operations: [
      'POST /flows/{id}/tests',
      'PUT /flows/{id}/tests/{testId}',
      'DELETE /flows/{id}/tests/{testId}',
      'PUT /flows/{id}/test-settings',
      'POST /flows/{id}/tests/run',
    ],
  },
  {
    role: 'editor',
    does: 'Try flows in the live test',
    operations: [
      'POST /simulator/sessions',
      'GET /simulator/sessions/{id}',
      'DELETE /simulator/sessions/{id}',
      'POST /simulator/sessions/{id}/messages',
      'POST /simulator/sessions/{id}/files',
      'POST /simulator/sessions/{id}/locations',
    ],
  },
  {
    role: 'editor',
    does: 'Pick an AI provider and model for a flow’s AI blocks',
    operations: ['GET /ai/providers', 'GET /ai/providers/{id}/models'],
  },
  {
    role: 'editor',
    does: 'Choose which flow a number runs',
    operations: ['PUT /numbers/{id}/flow'],
  },
  {
    role: 'admin',
    does: 'Add and remove people, change their roles and reset their passwords',
    operations: [
      'GET /users',
      'POST /users',
      'PATCH /users/{id}',
      'DELETE /users/{id}',
      'POST /users/{id}/password-reset',
      'GET /users/invitations',
      'DELETE /users/invitations/{id}',
    ],
    peopleOnly: true,
  },
  {
    role: 'admin',
    does: 'Add, test, change and remove AI providers and their keys',
    operations: [
      'GET /ai/credentials',
      'POST /ai/credentials',
      'PUT /ai/credentials/{id}',
      'DELETE /ai/credentials/{id}',
      'POST /ai/credentials/{id}/test',
      'GET /ai/credentials/{id}/models',
    ],
  },
  {
    role: 'admin',
    // The quota caps what the workspace spends on its providers' accounts, which admins own.
    does: 'Set how many tokens the AI blocks may use per month',
    operations: ['PUT /ai/quota'],
  },
  {
    role: 'admin',
    does: 'Create and revoke API keys',
    operations: ['GET /api-keys', 'POST /api-keys', 'DELETE /api-keys/{id}'],
    peopleOnly: true,
  },
  {
    role: 'admin',
    does: 'Add, connect (and cancel connecting), log out and delete WhatsApp numbers',
    operations: [
      'POST /numbers',
      'PATCH /numbers/{id}',
      'DELETE /numbers/{id}',
      'POST /numbers/{id}/connect',
      'POST /numbers/{id}/cancel',
      'POST /numbers/{id}/logout',
    ],
  },
  {
    role: 'admin',
    does: 'Change the workspace’s settings, business hours and how long data is kept, and erase a contact’s data',
    operations: [
      'PATCH /workspace',
      'GET /workspace/retention',
      'PUT /workspace/retention',
      'PUT /workspace/business-hours',
      'DELETE /contacts/{phone}',
    ],
  },
  {
    role: 'admin',
    does: 'Set up alerts: what to watch and where to send them',
    operations: [
      'GET /alert-rules',
      'POST /alert-rules',
      'PATCH /alert-rules/{id}',
      'DELETE /alert-rules/{id}',
    ],
  },
  { role: 'admin', does: 'Read the audit log', operations: ['GET /audit'] },
  {
    role: 'admin',
    does: 'See how the numbers are running: queues, failed sends and recent problems',
    operations: ['GET /status'],
  },
];

/** The operations an API key is refused whatever its role (`METHOD /path`). */
export const PEOPLE_ONLY_OPERATIONS: ReadonlySet<string> = new Set(
  CAPABILITIES.filter((capability) => capability.peopleOnly === true).flatMap(
    (capability) => capability.operations,
  ),
);

/**
 * What an API key with this role may do, in words: everything its role allows but people's own
 * things (and nothing of what only a signed-in person does, such as answering invitations).
 */
export function keyRoleCan(role: Role): string[] {
  return CAPABILITIES.filter(
    (capability) =>
      capability.peopleOnly !== true && capability.role !== 'signed_in' && atLeast(role, capability.role),
  ).map((capability) => capability.does);
}

/** What a role adds to the role below it (`signed_in`: what anyone signed in may do), in words. */
export function roleAdds(role: Role | 'signed_in'): string[] {
  return CAPABILITIES.filter((capability) => capability.role === role).map((capability) => capability.does);
}
