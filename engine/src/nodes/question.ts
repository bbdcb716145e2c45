import { renderTemplate } from '@parley/schemas';
import { scopeOf, send } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

/** Asks the question; the answer arrives as a later event (see answer.ts). */
export const runQuestion: NodeExecutor<'question'> = (node, conversation, turn) => {
  const { prompt, choices, render } = node.config;
  const text = renderTemplate(prompt, scopeOf(turn, conversation));
  send(
    turn,
    conversation,
    'prompt',
    text,
    choices === undefined ? {} : { choices, render: render ?? 'list' },
  );
  return { kind: 'wait', wait: { kind: 'answer', nodeId: node.id, attempts: 0 } };
};
