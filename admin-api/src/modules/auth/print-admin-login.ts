import type { BootstrapResult } from './bootstrap-admin.js';

/** What the person starting Parley reads: where to go and how to sign in (a generated password only once). */
export function adminLoginLines(result: BootstrapResult, url: string): string[] {
  const lines = [`Parley is running at ${url}`];
  if (result.created && result.generatedPassword !== null) {
    lines.push(`Sign in as ${result.email} with password ${result.generatedPassword}`);
    lines.push('(generated now and shown only this once; set PARLEY_ADMIN_PASSWORD to choose it)');
  } else if (result.created) {
    lines.push(`Sign in as ${result.email} with the password in PARLEY_ADMIN_PASSWORD`);
  } else {
    lines.push(`Sign in with your account (first admin: ${result.email})`);
  }
  if (result.passwordIgnored) {
    // Setting it again is what people try after losing a password: say why it changed nothing.
    lines.push('');
    lines.push('PARLEY_ADMIN_PASSWORD is set, but it is only used to create the first admin, and an');
    lines.push('admin exists already, so it changed no password. To get into an account, run');
    lines.push('  npx parley admin reset-password EMAIL');
    lines.push('for a one-time password (stop Parley first when it keeps its data in its own folder),');
    lines.push('or ask an admin to reset it from the Users page.');
  }
  return lines;
}

export function printAdminLogin(result: BootstrapResult, url: string): void {
  process.stdout.write(
    `\n${adminLoginLines(result, url)
      .map((line) => `  ${line}`)
      .join('\n')}\n\n`,
  );
}
