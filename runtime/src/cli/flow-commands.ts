import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { simulateCommand } from './simulate-command.js';
import { testCommand } from './test-command.js';
import { validateCommand } from './validate-command.js';

export const FLOW_USAGE = `  parley validate FLOW.json
  parley simulate FLOW.json [--contact-name NAME] [--contact-phone PHONE]
  parley test SCENARIO.json... | FOLDER...`;

/** The flow commands (`validate`, `simulate`, `test`): their exit code, or null for another command. */
export async function runFlowCommand(
  command: string,
  rest: string[],
  out: (line: string) => void,
): Promise<number | null> {
  if (command === 'validate') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new CliError('validate takes one file', 2);
    return validateCommand(positionals[0] as string, out);
  }
  if (command === 'simulate') {
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { 'contact-name': { type: 'string' }, 'contact-phone': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new CliError('simulate takes one file', 2);
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
    if (positionals.length === 0) throw new CliError('test takes at least one scenario file', 2);
    return testCommand(positionals, out);
  }
  return null;
}
