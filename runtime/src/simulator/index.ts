export { messageLine, resultLine } from './output.js';
export { parseScriptLine, type ScriptLine } from './script-line.js';
export { type SimulationResult, Simulator, type SimulatorOptions } from './simulator.js';
