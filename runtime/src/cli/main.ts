import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { simulateCommand } from './simulate-command.js';
import { testCommand } from './test-command.js';
import { validateCommand } from './validate-command.js';

const USAGE = `Usage:
  parley validate FLOW.json
  parley simulate FLOW.json [--contact-name NAME] [--contact-phone PHONE]
  parley test SCENARIO.json... | FOLDER...`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === 'validate') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError(`validate takes one file\n${USAGE}`, 2);
    return validateCommand(positionals[0] as string, out);
  }
  if (command === 'simulate') {
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { 'contact-name': { type: 'string' }, 'contact-phone': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new CliError(`simulate takes one file\n${USAGE}`, 2);
    return simulateCommand(
      {
        path: positionals[0] as string,
        ...(values['contact-name'] === undefined ? {} : { contactName: values['contact-name'] }),
        ...(values['contact-phone'] === undefined ? {} : { contactPhone: values['contact-phone'] }),
      },
      process.stdin,
      out,
    );
  }
  if (command === 'test') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    if (positionals.length === 0) throw new CliError(`test takes at least one scenario file\n${USAGE}`, 2);
    return testCommand(positionals, out);
  }
  throw new CliError(`unknown command “${command}”\n${USAGE}`, 2);
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (cause) {
  const known = cause instanceof CliError;
  const isArgError = (cause as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  process.stderr.write(`parley: ${(cause as Error).message}\n`);
  process.exitCode = known ? cause.exitCode : isArgError ? 2 : 1;
}
