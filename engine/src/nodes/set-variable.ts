import { renderTemplate } from '@parley/schemas';
import { parseNumber } from '../answers/parse-number.js';
import { scopeOf } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

export const setVariableExecutor: NodeExecutor<'set_variable'> = {
  run: (node, conversation, turn) => {
    const { variable, value, as } = node.config;
    const text = renderTemplate(value, scopeOf(turn, conversation));
    if (as === 'number') {
      const number = parseNumber(text);
      if (number === null) delete conversation.variables[variable];
      else conversation.variables[variable] = number;
    } else {
      conversation.variables[variable] = text;
    }
    return { kind: 'follow', handle: 'next' };
  },
};
