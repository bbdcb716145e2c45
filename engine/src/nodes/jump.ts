import type { NodeExecutor } from './node-executor.js';

export const jumpExecutor: NodeExecutor<'jump'> = {
  run: (node) => ({ kind: 'goto', nodeId: node.config.target }),
};
