import { targetOf } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

export interface DelayWait {
  kind: 'delay';
  nodeId: string;
  until: number;
}

/**
 * A delay lasts at least a millisecond, so it is never due in the turn that reached it: a timer
 * resumes it in a later turn (else a loop through a tiny delay would never end).
 */
export const delayExecutor: NodeExecutor<'delay', DelayWait> = {
  run: (node, _conversation, turn) =>
    turn.options.inlineDelays === true
      ? { kind: 'follow', handle: 'next' }
      : {
          kind: 'wait',
          wait: { kind: 'delay', nodeId: node.id, until: turn.now + Math.max(node.config.seconds * 1000, 1) },
        },
  resume: {
    // Waiting on its own delay (up to days), the conversation is not idle and must not expire.
    idle: false,
    timer: {
      at: (wait) => wait.until,
      fire: (node, _conversation, _wait, turn) => ({
        kind: 'continue',
        nodeId: targetOf(turn.flow, node.id, 'next'),
      }),
    },
  },
};
