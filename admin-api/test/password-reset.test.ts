/**
 * An admin makes a one-time password reset for a member and passes it on; the member sets a new
 * password with it. The code works once, expires, is replaced by a newer one, is kept only as a
 * hash, and cannot be used to take over a person who belongs to a workspace the admin does not run.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';
const NEW_PASSWORD = 'a fresh long password';

let api: TestApi;

async function join(role: 'editor' | 'viewer' = 'editor'): Promise<Client & { id: string; email: string }> {
  const email = `lost-${randomUUID().slice(0, 8)}@example.com`;
  const client = await api.join(email, PASSWORD, role);
  const me = await client.call('get', '/me');
  return Object.assign(client, { id: me.body.id as string, email });
}

/**
 * Wrong codes are throttled per client, so each test redeems from an address of its own (the test
 * API trusts the loopback proxy's X-Forwarded-For).
 */
let lastClient = 0;
function newClient() {
  const address = `203.0.113.${++lastClient}`;
  return (code: string, newPassword = NEW_PASSWORD) =>
    api.call('post', '/auth/password-reset', {
      body: { code, newPassword },
      headers: { 'x-forwarded-for': address },
    });
}
/** Past the wait a wrong code earns this client (1 s after the first): time passing is the behaviour. */
const pastTheWait = () => new Promise((resolve) => setTimeout(resolve, 1_100));

beforeAll(async () => {
  api = await startTestApi({ trustProxy: ['loopback'] });
});

afterAll(async () => {
  await api?.close();
});

describe('password resets an admin hands out', () => {
  it('sets a new password once, and signs the account out everywhere', async () => {
    const redeem = newClient();
    const lost = await join();
    const reset = await api.admin.call('post', `/users/${lost.id}/password-reset`);
    expect(reset.status).toBe(201);
    expect(reset.body.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(reset.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);

    expect((await redeem(reset.body.code)).status).toBe(204);
    expect((await lost.call('get', '/me')).status).toBe(401);
    await expect(api.login(lost.email, PASSWORD)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await (await api.login(lost.email, NEW_PASSWORD)).call('get', '/me')).status).toBe(200);

    const again = await redeem(reset.body.code, 'yet another long password');
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(
      'This reset link does not work any more: it was used already, a newer one replaced it, or it expired. Ask your admin for a new one.',
    );
  });

  it('keeps only a hash of the code, and audits the reset without it', async () => {
    const lost = await join();
    const { code } = (await api.admin.call('post', `/users/${lost.id}/password-reset`)).body;
    const { rows } = await api.db.query('select * from password_resets where user_id = $1', [lost.id]);
    expect(JSON.stringify(rows)).not.toContain(code);
    const audit = await api.admin.call('get', '/audit?limit=50');
    const entry = audit.body.items.find(
      (item: { action: string; entityId: string }) =>
        item.action === 'member.password_reset' && item.entityId === lost.id,
    );
    expect(entry.after.email).toBe(lost.email);
    expect(JSON.stringify(audit.body)).not.toContain(code);
  });

  it('works only with the newest reset, and not after it expires', async () => {
    const redeem = newClient();
    const lost = await join('viewer');
    const first = (await api.admin.call('post', `/users/${lost.id}/password-reset`)).body.code;
    const second = (await api.admin.call('post', `/users/${lost.id}/password-reset`)).body.code;
    expect((await redeem(first)).status).toBe(400);
    await pastTheWait();
    await api.db.query(
      `update password_resets set expires_at = now() - interval '1 second' where user_id = $1`,
      [lost.id],
    );
    expect((await redeem(second)).status).toBe(400);
    expect((await lost.call('get', '/me')).status).toBe(200);
  });

  it('throttles wrong codes from one client like wrong passwords', async () => {
    const lost = await join('viewer');
    const { code } = (await api.admin.call('post', `/users/${lost.id}/password-reset`)).body;
    const redeem = newClient();
    expect((await redeem('not-a-code-not-a-code-not-a-code')).status).toBe(400);
    // Straight after a wrong one, even the right code waits its turn, and is not used up.
    const soon = await redeem(code);
    expect(soon.status).toBe(429);
    expect(soon.body.error.message).toMatch(
      /^Too many reset links tried from here\. Try again in \d+ seconds\.$/,
    );
    await pastTheWait();
    expect((await redeem(code)).status).toBe(204);
  });

  it('is not for the admin themselves, nor for a person who also belongs elsewhere', async () => {
    const self = await api.admin.call('post', `/users/${api.adminUserId}/password-reset`);
    expect(self.status).toBe(409);
    expect(self.body.error.message).toBe('Change your own password from your account menu.');

    // A member of a workspace this admin does not run: a password would open that one too.
    const shared = await join();
    const { rows } = await api.db.query<{ id: string }>(
      `insert into workspaces (name) values ('Not theirs') returning id`,
    );
    await api.db.query(
      `insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')`,
      [(rows[0] as { id: string }).id, shared.id],
    );
    const refused = await api.admin.call('post', `/users/${shared.id}/password-reset`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      `${shared.email} also belongs to a workspace you do not run, so you cannot reset their password. They can change it themselves from their account menu.`,
    );
    expect((await api.admin.call('post', `/users/${randomUUID()}/password-reset`)).status).toBe(404);
    const editor = await join();
    expect((await editor.call('post', `/users/${shared.id}/password-reset`)).status).toBe(403);
  });

  it('refuses a malformed or unknown code without telling which', async () => {
    // Malformed requests are refused before any code is checked, so they earn no wait.
    expect((await newClient()('short')).status).toBe(400);
    expect((await newClient()('x'.repeat(43))).status).toBe(400);
    expect((await newClient()('x'.repeat(43), 'short')).status).toBe(400);
  });
});
