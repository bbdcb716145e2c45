import { createInterface } from 'node:readline';
import { compileFlow } from '@parley/engine';
import { validateFlow } from '@parley/schemas';
import { allowPrivateHttpFromEnv } from '../http/index.js';
import {
  needsModelScript,
  parseScriptLine,
  resultLine,
  SimulationError,
  Simulator,
  turnLines,
} from '../simulator/index.js';
import { CliError } from './cli-error.js';
import { modelScriptFile } from './model-script.js';
import { problemLine } from './problem-lines.js';
import { readJsonFile } from './read-json-file.js';

export interface SimulateArgs {
  path: string;
  contactName?: string;
  contactPhone?: string;
  /** The model script that answers the flow's AI blocks. */
  modelScript?: string;
}

/** `parley simulate FLOW.json`: reads the conversation from stdin, prints JSON lines. */
export async function simulateCommand(
  args: SimulateArgs,
  input: NodeJS.ReadableStream,
  out: (line: string) => void,
): Promise<number> {
  const document = await readJsonFile(args.path);
  const { errors } = validateFlow(document);
  if (errors.length > 0) {
    for (const problem of errors) out(problemLine(problem));
    return 1;
  }
  const flow = compileFlow(document);
  const model = args.modelScript === undefined ? undefined : await modelScriptFile(args.modelScript);
  const unanswerable =
    model === undefined ? needsModelScript(flow, 'give a model script with --model-script FILE.json') : null;
  if (unanswerable !== null) throw new CliError(`${args.path}: ${unanswerable}`);
  const simulator = new Simulator(flow, {
    contact: {
      ...(args.contactName === undefined ? {} : { name: args.contactName }),
      ...(args.contactPhone === undefined ? {} : { phone: args.contactPhone }),
    },
    allowPrivateHttp: allowPrivateHttpFromEnv(),
    ...(model === undefined ? {} : { model }),
  });
  let lineNumber = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    out(JSON.stringify({ type: 'user', text: line }));
    try {
      for (const printed of turnLines(await simulator.play(parseScriptLine(line))))
        out(JSON.stringify(printed));
    } catch (cause) {
      if (!(cause instanceof SimulationError)) throw cause;
      throw new CliError(`input line ${lineNumber} (${JSON.stringify(line)}): ${cause.message}`);
    }
  }
  out(JSON.stringify(resultLine(simulator.result())));
  return 0;
}
