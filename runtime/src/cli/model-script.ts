import { dirname, resolve } from 'node:path';
import type { ScriptedModel } from '@parley/ai';
import { CliError } from './cli-error.js';
import { readJsonFile } from './read-json-file.js';

/** Turns a script that fails its schema into a one-line CliError naming where it came from. */
async function checked(value: unknown, source: string): Promise<ScriptedModel> {
  // Loaded only for a script: the model libraries would slow every `parley` command's start.
  const { ScriptedModel } = await import('@parley/ai');
  try {
    return ScriptedModel.fromJson(value, source);
  } catch (cause) {
    throw new CliError(
      `${(cause as Error).message}. The model script format is in docs/flow-format.md (“Model scripts”).`,
    );
  }
}

/** The model script file of `parley simulate --model-script`. */
export async function modelScriptFile(path: string): Promise<ScriptedModel> {
  return checked(await readJsonFile(path), path);
}

/**
 * A scenario's `modelScript`: the script itself, or the path of its file relative to the scenario;
 * undefined when the scenario has none.
 */
export async function scenarioModelScript(
  modelScript: unknown,
  scenarioPath: string,
): Promise<ScriptedModel | undefined> {
  if (modelScript === undefined) return undefined;
  if (typeof modelScript === 'string') {
    const path = resolve(dirname(scenarioPath), modelScript);
    return modelScriptFile(path).catch((cause: unknown) => {
      throw new CliError(
        `its "modelScript" ${JSON.stringify(modelScript)} is unusable: ${(cause as Error).message}`,
      );
    });
  }
  return checked(modelScript, 'its "modelScript"');
}
