import type { NodeExecutor } from './node-executor.js';

/**
 * A delay lasts at least a millisecond, so it is never due in the turn that reached it: a timer
 * resumes it in a later turn (else a loop through a tiny delay would never end).
 */
export const runDelay: NodeExecutor<'delay'> = (node, _conversation, turn) =>
  turn.options.inlineDelays === true
    ? { kind: 'follow', handle: 'next' }
    : {
        kind: 'wait',
        wait: { kind: 'delay', nodeId: node.id, until: turn.now + Math.max(node.config.seconds * 1000, 1) },
      };
