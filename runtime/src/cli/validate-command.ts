import { validateForPublish } from '@parley/schemas';
import { problemLine } from './problem-lines.js';
import { readJsonFile } from './read-json-file.js';

/**
 * `parley validate FLOW.json`: one line per problem; exit 1 when there is an error, including the
 * rules that block publishing, so a flow it passes can be published.
 */
export async function validateCommand(path: string, out: (line: string) => void): Promise<number> {
  const { errors, warnings } = validateForPublish(await readJsonFile(path));
  for (const problem of [...errors, ...warnings]) out(problemLine(problem));
  return errors.length > 0 ? 1 : 0;
}
