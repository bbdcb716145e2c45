import type { BootstrapResult } from './bootstrap-admin.js';

/** Tells the person starting Parley where to go and how to sign in (a generated password only once). */
export function printAdminLogin(result: BootstrapResult, url: string): void {
  const lines = [`Parley is running at ${url}`];
  if (result.created && result.generatedPassword !== null) {
    lines.push(`Sign in as ${result.email} with password ${result.generatedPassword}`);
    lines.push('(generated now and shown only this once; set PARLEY_ADMIN_PASSWORD to choose it)');
  } else if (result.created) {
    lines.push(`Sign in as ${result.email} with the password in PARLEY_ADMIN_PASSWORD`);
  } else {
    lines.push(`Sign in with your account (first admin: ${result.email})`);
  }
  process.stdout.write(`\n${lines.map((line) => `  ${line}`).join('\n')}\n\n`);
}
