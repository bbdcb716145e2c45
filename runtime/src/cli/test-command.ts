import { basename } from 'node:path';
import { InvalidFlowError } from '@parley/engine';
import { runScenario, type Scenario, scenarioProblem, startTestServer } from '../scenarios/index.js';
import { readJsonFile } from './read-json-file.js';

/** `parley test SCENARIO.json…`: runs each scenario, prints a diff per failure; exit 1 if any fails. */
export async function testCommand(paths: string[], out: (line: string) => void): Promise<number> {
  const server = await startTestServer();
  let passed = 0;
  let failed = 0;
  try {
    for (const path of paths) {
      const label = basename(path);
      try {
        const scenario = await readJsonFile(path);
        const problem = scenarioProblem(scenario);
        if (problem !== null) throw new Error(`not a scenario: ${problem}`);
        const outcome = await runScenario(scenario as Scenario, server.port);
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
