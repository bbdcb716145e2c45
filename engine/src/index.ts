export { type CompiledFlow, compileFlow, InvalidFlowError, type ResolvedSettings } from './compile-flow.js';
export type * from './events.js';
export * from './state.js';
export { type StepResult, step } from './step.js';
export { nextTimerAt } from './timers.js';
export type { EngineOptions } from './turn.js';
export { answersOf } from './turn.js';
