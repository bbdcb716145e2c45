import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InvalidFlowError } from '@parley/engine';
import { runScenario, type Scenario, scenarioProblem, startTestServer } from '../scenarios/index.js';
import { scenarioModelScript } from './model-script.js';
import { readJsonFile } from './read-json-file.js';

/** The scenario files named: a folder stands for the `.json` files in it, in name order. */
async function scenarioFiles(paths: string[]): Promise<{ files: string[]; emptyFolders: string[] }> {
  const files: string[] = [];
  const emptyFolders: string[] = [];
  for (const path of paths) {
    const isFolder = await stat(path).then(
      (found) => found.isDirectory(),
      () => false,
    );
    if (!isFolder) {
      files.push(path);
      continue;
    }
    const inFolder = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
    if (inFolder.length === 0) emptyFolders.push(path);
    files.push(...inFolder.map((name) => join(path, name)));
  }
  return { files, emptyFolders };
}

/**
 * `parley test SCENARIO.json… | FOLDER…`: runs each scenario, prints a diff per failure; exit 1 if
 * any fails or a folder holds no scenario, so a moved folder cannot pass by running nothing.
 */
export async function testCommand(paths: string[], out: (line: string) => void): Promise<number> {
  const { files, emptyFolders } = await scenarioFiles(paths);
  let passed = 0;
  let failed = emptyFolders.length;
  for (const folder of emptyFolders) out(`✗ ${folder}: no scenario (.json) files in this folder`);
  const server = await startTestServer();
  try {
    for (const path of files) {
      const label = basename(path);
      try {
        const scenario = await readJsonFile(path);
        const problem = scenarioProblem(scenario);
        if (problem !== null) throw new Error(`not a scenario: ${problem}`);
        const model = await scenarioModelScript((scenario as Scenario).modelScript, path);
        const outcome = await runScenario(scenario as Scenario, server.port, model);
        if (outcome.passed) {
          passed += 1;
          out(`✓ ${label}`);
        } else {
          failed += 1;
          out(`✗ ${label}`);
          for (const line of outcome.differences) out(`    ${line}`);
        }
      } catch (cause) {
        failed += 1;
        out(`✗ ${label}`);
        const message =
          cause instanceof InvalidFlowError
            ? `the flow is invalid: ${cause.problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`
            : (cause as Error).message;
        out(`    ${message}`);
      }
    }
  } finally {
    await server.close();
  }
  out(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
