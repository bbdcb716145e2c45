import { renderTemplate } from '@parley/schemas';
import { scopeOf, send } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

/** Says the optional goodbye and completes the conversation. */
export const endExecutor: NodeExecutor<'end'> = {
  run: (node, conversation, turn) => {
    if (node.config.text !== undefined) {
      send(turn, conversation, 'message', renderTemplate(node.config.text, scopeOf(turn, conversation)));
    }
    return { kind: 'finish', status: 'completed' };
  },
};
