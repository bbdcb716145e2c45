import { createInterface } from 'node:readline';
import { compileFlow } from '@parley/engine';
import { validateFlow } from '@parley/schemas';
import { allowPrivateHttpFromEnv } from '../http/index.js';
import { messageLine, parseScriptLine, resultLine, Simulator } from '../simulator/index.js';
import { problemLine } from './problem-lines.js';
import { readJsonFile } from './read-json-file.js';

export interface SimulateArgs {
  path: string;
  contactName?: string;
  contactPhone?: string;
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
  const simulator = new Simulator(compileFlow(document), {
    contact: {
      ...(args.contactName === undefined ? {} : { name: args.contactName }),
      ...(args.contactPhone === undefined ? {} : { phone: args.contactPhone }),
    },
    allowPrivateHttp: allowPrivateHttpFromEnv(),
  });
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    out(JSON.stringify({ type: 'user', text: line }));
    for (const message of await simulator.play(parseScriptLine(line)))
      out(JSON.stringify(messageLine(message)));
  }
  out(JSON.stringify(resultLine(simulator.result())));
  return 0;
}
