import { validateForPublish } from '@parley/schemas';
import { allowPrivateHttpFromEnv } from '../http/index.js';
import { scenarioProblem } from '../scenarios/index.js';
import { problemLine } from './problem-lines.js';
import { readJsonFile } from './read-json-file.js';

/**
 * `parley validate FLOW.json`: one line per problem; exit 1 when there is an error, including the
 * rules that block publishing, so a flow it passes can be published.
 */
export async function validateCommand(path: string, out: (line: string) => void): Promise<number> {
  const input = await readJsonFile(path);
  // A scenario holds a flow; reporting its fields as unknown flow settings would only confuse.
  if (scenarioProblem(input) === null) {
    out('This is a scenario (a flow with a scripted conversation): run `parley test` on it.');
    return 1;
  }
  // Warns about private addresses only where a runtime of this environment would refuse them.
  const { errors, warnings } = validateForPublish(input, { allowPrivateHttp: allowPrivateHttpFromEnv() });
  for (const problem of [...errors, ...warnings]) out(problemLine(problem));
  return errors.length > 0 ? 1 : 0;
}
