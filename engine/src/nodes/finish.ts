import { renderTemplate } from '@parley/schemas';
import type { Conversation } from '../state.js';
import { scopeOf, send, type Turn } from '../turn.js';
import type { NodeExecutor, NodeOf, Transition } from './node-executor.js';

/** `end` and `handoff` both say their optional text and stop the walk; they differ in the status. */
function sayAndFinish(
  node: NodeOf<'end' | 'handoff'>,
  conversation: Conversation,
  turn: Turn,
  status: 'completed' | 'handoff',
): Transition {
  if (node.config.text !== undefined) {
    send(turn, conversation, 'message', renderTemplate(node.config.text, scopeOf(turn, conversation)));
  }
  return { kind: 'finish', status };
}

export const runEnd: NodeExecutor<'end'> = (node, conversation, turn) =>
  sayAndFinish(node, conversation, turn, 'completed');
export const runHandoff: NodeExecutor<'handoff'> = (node, conversation, turn) =>
  sayAndFinish(node, conversation, turn, 'handoff');
