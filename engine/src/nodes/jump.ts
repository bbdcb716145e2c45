import type { NodeExecutor } from './node-executor.js';

export const runJump: NodeExecutor<'jump'> = (node) => ({ kind: 'goto', nodeId: node.config.target });
