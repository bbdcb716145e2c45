export { runScenario, type ScenarioOutcome } from './run-scenario.js';
export { type ExpectedMessage, type Scenario, scenarioProblem } from './scenario.js';
export { startTestServer } from './test-server.js';
