export { CliError } from './cli-error.js';
export { FLOW_USAGE, runFlowCommand } from './flow-commands.js';
