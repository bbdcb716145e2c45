import type { NodeExecutor } from './node-executor.js';

export const runDelay: NodeExecutor<'delay'> = (node, _conversation, turn) =>
  turn.options.inlineDelays === true
    ? { kind: 'follow', handle: 'next' }
    : { kind: 'wait', wait: { kind: 'delay', nodeId: node.id, until: turn.now + node.config.seconds * 1000 } };
