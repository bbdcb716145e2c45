// `parley`: the flow commands (the runtime's) and the admin commands (the API's), one command line.
import { CliError, FLOW_USAGE, runFlowCommand } from '@parley/runtime/cli';
import { ADMIN_USAGE, runAdminCommand } from './admin-command.js';

const USAGE = `Usage:\n${FLOW_USAGE}\n${ADMIN_USAGE}`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'admin') return runAdminCommand(rest, out);
  const code = await runFlowCommand(command, rest, out);
  if (code === null) throw new CliError(`unknown command “${command}”`, 2);
  return code;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (cause) {
  const known = cause instanceof CliError;
  const isArgError = (cause as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  const exitCode = known ? cause.exitCode : isArgError ? 2 : 1;
  // Wrong usage gets the usage; anything else one line, no stack trace.
  process.stderr.write(`parley: ${(cause as Error).message}\n${exitCode === 2 ? `${USAGE}\n` : ''}`);
  process.exitCode = exitCode;
}
