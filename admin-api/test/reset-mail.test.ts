/**
 * With SMTP set up, an admin's password reset can be mailed to the person: the mail carries the
 * link (to PARLEY_PUBLIC_URL) and nothing of it reaches the audit log. A mail server that is down
 * leaves the reset working and says why; a server without SMTP says so before making anything.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../../test/support/smtp-receiver.js';
import { startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';

let smtp: SmtpReceiver;
let api: TestApi;

/** A port nothing listens on: a mail server that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function member(on: TestApi): Promise<{ id: string; email: string }> {
  const email = `mail-${randomUUID().slice(0, 8)}@example.com`;
  const client = await on.join(email, PASSWORD, 'editor');
  return { id: (await client.call('get', '/me')).body.id as string, email };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  api = await startTestApi({
    mail: { url: smtp.url, from: 'Parley <parley@clinic.example>' },
    publicUrl: 'https://parley.clinic.example',
  });
});

afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

describe('reset links by email', () => {
  it('tells the UI that this server sends mail', async () => {
    expect((await api.admin.call('get', '/policy')).body).toEqual({
      privateHttpAllowed: false,
      emailEnabled: true,
    });
  });

  it('mails the link to the person, and the link works', async () => {
    const person = await member(api);
    const reset = await api.admin.call('post', `/users/${person.id}/password-reset`, { sendEmail: true });
    expect(reset.status).toBe(201);
    expect(reset.body.emailedTo).toBe(person.email);
    expect(reset.body.emailError).toBeUndefined();

    const mail = smtp.received.find(
      (received) => received.to && JSON.stringify(received.to).includes(person.email),
    );
    expect(mail?.subject).toBe('Choose a new Parley password');
    expect(mail?.from?.value).toEqual([{ name: 'Parley', address: 'parley@clinic.example' }]);
    const link = `https://parley.clinic.example/reset-password#code=${reset.body.code}`;
    expect(mail?.text).toContain(link);
    expect(mail?.text).toContain('admin@parley.test made a link for you');

    const redeemed = await api.call('post', '/auth/password-reset', {
      body: { code: reset.body.code, newPassword: 'chosen from the mail' },
    });
    expect(redeemed.status).toBe(204);
    const audit = await api.admin.call('get', '/audit?limit=20');
    expect(JSON.stringify(audit.body)).not.toContain(reset.body.code);
  });

  it('without sendEmail, mails nothing', async () => {
    const person = await member(api);
    const before = smtp.received.length;
    const reset = await api.admin.call('post', `/users/${person.id}/password-reset`);
    expect(reset.status).toBe(201);
    expect(reset.body.emailedTo).toBeUndefined();
    expect(smtp.received).toHaveLength(before);
  });

  it('keeps the reset when the mail server is down, and says why', async () => {
    const down = await startTestApi({
      mail: { url: `smtp://127.0.0.1:${await closedPort()}`, from: 'p@x.test' },
    });
    try {
      const person = await member(down);
      const reset = await down.admin.call('post', `/users/${person.id}/password-reset`, { sendEmail: true });
      expect(reset.status).toBe(201);
      expect(reset.body.emailedTo).toBeUndefined();
      expect(reset.body.emailError).toMatch(
        /^The email could not be sent \(.*ECONNREFUSED.*\)\. Copy the link and pass it on yourself\.$/,
      );
      const redeemed = await down.call('post', '/auth/password-reset', {
        body: { code: reset.body.code, newPassword: 'passed on by hand' },
      });
      expect(redeemed.status).toBe(204);
    } finally {
      await down.close();
    }
  });

  it('refuses to promise a mail where none is set up, making no reset', async () => {
    const plain = await startTestApi();
    try {
      expect((await plain.admin.call('get', '/policy')).body.emailEnabled).toBe(false);
      const person = await member(plain);
      const refused = await plain.admin.call('post', `/users/${person.id}/password-reset`, {
        sendEmail: true,
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'This server does not send email (PARLEY_SMTP_URL is not set). Make the link without email and pass it on yourself.',
      );
      const { rows } = await plain.db.query('select 1 from password_resets where user_id = $1', [person.id]);
      expect(rows).toHaveLength(0);
    } finally {
      await plain.close();
    }
  });
});
