import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { simulateCommand } from './simulate-command.js';
import { testCommand } from './test-command.js';
import { validateCommand } from './validate-command.js';

export const FLOW_USAGE = `  parley validate FLOW.json
  parley simulate FLOW.json [--contact-name NAME] [--contact-phone PHONE] [--model-script SCRIPT.json]
  parley test SCENARIO.json... | FOLDER...`;

const SIMULATE_HELP = `Usage: parley simulate FLOW.json [options] < CONVERSATION.txt

Plays a conversation with the flow: each line of standard input is one message of the contact
("#wait MINUTES", "#media MIME [NAME]" and "#location LAT LNG [NAME]" lines move the clock,
send a file or share a place). Prints one JSON line per message, per note of an AI block, and the result.

Options:
  --contact-name NAME        the contact's name ({{contact.name}})
  --contact-phone PHONE      the contact's phone number ({{contact.phone}})
  --model-script SCRIPT.json a model script that answers the flow's AI blocks instead of a provider
                             (entries of "when" → "reply", see docs/flow-format.md, "Model scripts");
                             required when the flow has an AI block
  -h, --help                 this text

HTTP requests and AI tools really run; private addresses are refused unless
PARLEY_ALLOW_PRIVATE_HTTP=1.`;

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
      options: {
        'contact-name': { type: 'string' },
        'contact-phone': { type: 'string' },
        'model-script': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      out(SIMULATE_HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new CliError('simulate takes one file', 2);
    return simulateCommand(
      {
        path: positionals[0] as string,
        ...(values['contact-name'] === undefined ? {} : { contactName: values['contact-name'] }),
        ...(values['contact-phone'] === undefined ? {} : { contactPhone: values['contact-phone'] }),
        ...(values['model-script'] === undefined ? {} : { modelScript: values['model-script'] }),
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
