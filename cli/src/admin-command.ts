import { parseArgs } from 'node:util';
import { CliError } from '@parley/runtime/cli';

export const ADMIN_USAGE = `  parley admin reset-password EMAIL   (a one-time password for an account, e.g. a locked-out admin)`;

/** `parley admin …`: works on the same database as the server (DATABASE_URL or PARLEY_DATA_DIR). */
export async function runAdminCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'reset-password') {
    throw new CliError(
      action === undefined ? 'admin needs a command' : `unknown admin command “${action}”`,
      2,
    );
  }
  const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new CliError('reset-password takes one email', 2);
  // Loaded here, not at the top: the flow commands need neither the database nor the API.
  const { DataDirInUse, dbOptionsFromEnv, migrate, openDb } = await import('@parley/db');
  const { ResetRefused, resetPageUrl, resetPasswordFromCommandLine } = await import(
    '@parley/admin-api/admin-commands'
  );
  const options = dbOptionsFromEnv();
  const db = await openDb({ ...options, applicationName: 'parley-cli' }).catch((cause: unknown) => {
    if (cause instanceof DataDirInUse) {
      throw new CliError(
        `Parley is running on the data folder ${options.dataDir}. Stop Parley first (Ctrl+C where it runs), then run this again.`,
      );
    }
    throw cause;
  });
  try {
    await migrate(db);
    const reset = await resetPasswordFromCommandLine(db, positionals[0] as string);
    // Where people open Parley: PARLEY_PUBLIC_URL, else this machine's port.
    const base = process.env.PARLEY_PUBLIC_URL || `http://localhost:${process.env.PORT || '3000'}`;
    const page = `${resetPageUrl(base)}#code=${reset.code}`;
    out(`One-time password for ${reset.email}:`);
    out('');
    out(`  ${reset.code}`);
    out('');
    out(`Sign in with it as the password: it works once, until ${reset.expiresAt.toISOString()},`);
    out('and Parley then asks for a new password. Or open this link to choose one:');
    out(`  ${page}`);
    out('The old password keeps working until a new one is chosen. This reset is in the audit log.');
    return 0;
  } catch (cause) {
    if (cause instanceof ResetRefused) throw new CliError(cause.message);
    throw cause;
  } finally {
    await db.close();
  }
}
