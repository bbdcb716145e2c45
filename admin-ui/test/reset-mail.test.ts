/**
 * Where the server sends mail, an admin's password reset link is mailed to the person (asked by
 * default), who opens it from the mail; when the mail server is down, the admin is told and still
 * gets the link to pass on.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpReceiver, startSmtpReceiver } from '../../test/support/smtp-receiver';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const PASSWORD = 'a-long-enough-password';
let smtp: SmtpReceiver;
let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  [parley, browser] = await Promise.all([
    startParley({ PARLEY_SMTP_URL: smtp.url, PARLEY_MAIL_FROM: 'Clinic Parley <parley@clinic.example>' }),
    launchChromium(),
  ]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  for (const email of ['mo@example.com', 'jo@example.com']) {
    await apiCall(parley.url, token, 'POST', '/users', { email, password: PASSWORD, role: 'viewer' });
    await acceptInvitations(parley.url, email, PASSWORD);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await smtp?.close();
});

describe('reset links by email', () => {
  it('mails the link, which the person opens from the mail', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Reset the password of mo@example.com' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Make a password reset link for mo@example.com?' });
    const mailIt = confirm.getByRole('checkbox', { name: 'Also email the link to mo@example.com' });
    expect(await mailIt.getAttribute('data-state')).toBe('checked');
    await screenshot(page, 'users-reset-email');
    await confirm.getByRole('button', { name: 'Make the link' }).click();
    const shown = page.getByRole('dialog', { name: 'Password reset link for mo@example.com' });
    await shown.getByText('It is on its way to mo@example.com', { exact: false }).waitFor();
    const link = await shown.getByRole('textbox', { name: 'Reset link' }).inputValue();
    await shown.getByRole('button', { name: 'Done' }).click();
    expectNoConsoleErrors(errors);
    await page.context().close();

    const mail = smtp.received.find((received) => JSON.stringify(received.to).includes('mo@example.com'));
    expect(mail?.subject).toBe('Choose a new Parley password');
    const mailed = /https?:\/\/\S+\/reset-password#code=\S+/.exec(mail?.text ?? '')?.[0];
    expect(mailed).toBe(link);

    const phone = await openPage(browser, parley.url, { width: 390, height: 844 });
    await phone.page.goto(mailed as string);
    await phone.page.getByLabel('New password', { exact: true }).fill('mo chose this one');
    await phone.page.getByLabel('New password again').fill('mo chose this one');
    await phone.page.getByRole('button', { name: 'Set the new password' }).click();
    await phone.page.getByText('Your new password is set.', { exact: false }).waitFor();
    expect(await apiLogin(parley.url, 'mo@example.com', 'mo chose this one')).toBeTruthy();
    await phone.context.close();
  });

  it('says so when the mail could not be sent, and still shows the link', async () => {
    await smtp.close();
    const { page, errors } = await openPage(browser, parley.url, { width: 390, height: 844 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Reset the password of jo@example.com' }).click();
    await page
      .getByRole('alertdialog', { name: 'Make a password reset link for jo@example.com?' })
      .getByRole('button', { name: 'Make the link' })
      .click();
    const shown = page.getByRole('dialog', { name: 'Password reset link for jo@example.com' });
    const alert = shown.getByRole('alert');
    await alert.getByText('The email could not be sent', { exact: false }).waitFor();
    expect(await alert.textContent()).toContain('Copy the link and pass it on yourself.');
    expect(await shown.getByRole('textbox', { name: 'Reset link' }).inputValue()).toMatch(/#code=/);
    await screenshot(page, 'phone-users-reset-email-failed');
    expectNoConsoleErrors(errors);
    await page.context().close();
  });
});
