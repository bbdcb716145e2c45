import { evaluateCondition } from '@parley/schemas';
import { scopeOf } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

export const conditionExecutor: NodeExecutor<'condition'> = {
  run: (node, conversation, turn) => {
    const scope = scopeOf(turn, conversation);
    const branch = node.config.branches.find((candidate) => evaluateCondition(candidate.when, scope));
    return { kind: 'follow', handle: branch?.id ?? 'else' };
  },
};
