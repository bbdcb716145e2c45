import { renderTemplate } from '@parley/schemas';
import { scopeOf, send } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

/** Says the optional last message and leaves the conversation to a person. */
export const handoffExecutor: NodeExecutor<'handoff'> = {
  run: (node, conversation, turn) => {
    if (node.config.text !== undefined) {
      send(turn, conversation, 'message', renderTemplate(node.config.text, scopeOf(turn, conversation)));
    }
    return { kind: 'finish', status: 'handoff' };
  },
};
