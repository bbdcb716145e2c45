export { messageLine, resultLine, turnLines } from './output.js';
export { parseScriptLine, type ScriptLine } from './script-line.js';
export {
  needsModelScript,
  type SimulatedTurn,
  SimulationError,
  type SimulationResult,
  Simulator,
  type SimulatorOptions,
} from './simulator.js';
