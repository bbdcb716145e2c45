import { validateFlow } from '@parley/schemas';
import { problemLine } from './problem-lines.js';
import { readJsonFile } from './read-json-file.js';

/** `parley validate FLOW.json`: one line per problem; exit 1 when there is an error. */
export async function validateCommand(path: string, out: (line: string) => void): Promise<number> {
  const { errors, warnings } = validateFlow(await readJsonFile(path));
  for (const problem of [...errors, ...warnings]) out(problemLine(problem));
  return errors.length > 0 ? 1 : 0;
}
