import { MAX_MESSAGES_PER_TURN, nodeName } from '@parley/schemas';
import { runNode } from './nodes/registry.js';
import { addNote } from './notes.js';
import type { Conversation } from './state.js';
import { failConversation, finishConversation, type Turn, targetOf } from './turn.js';

/**
 * Runs nodes from `start` until one waits (for an answer, a result or a timer) or the conversation finishes.
 * A null start means the outcome taken has no connection: the conversation completes quietly.
 */
export function walk(turn: Turn, conversation: Conversation, start: string | null): void {
  let nextId = start;
  while (true) {
    if (nextId === null) {
      finishConversation(turn, conversation, 'completed');
      return;
    }
    if (conversation.turnSteps >= turn.flow.settings.maxStepsPerTurn) {
      const at = turn.flow.index.nodeById.get(nextId);
      if (at !== undefined)
        addNote(
          turn,
          'ended_with_fallback',
          at,
          `The flow went through ${turn.flow.settings.maxStepsPerTurn} blocks in a row without waiting for the contact (a loop?), so it stopped at ${nodeName(at)} and ended with the fallback message.`,
        );
      failConversation(
        turn,
        conversation,
        `stopped after ${turn.flow.settings.maxStepsPerTurn} steps in one turn (a loop that never waits for input?)`,
      );
      return;
    }
    const node = turn.flow.index.nodeById.get(nextId);
    if (node === undefined) {
      failConversation(turn, conversation, `node ${nextId} does not exist`);
      return;
    }
    conversation.turnSteps += 1;
    turn.effects.push({ type: 'node_entered', conversationId: conversation.id, nodeId: node.id });
    const transition = runNode(node, conversation, turn);
    if (turn.overCap) {
      addNote(
        turn,
        'ended_with_fallback',
        node,
        `${nodeName(node)} would send more than ${MAX_MESSAGES_PER_TURN} messages in a row, so the conversation ended with the fallback message.`,
      );
      failConversation(
        turn,
        conversation,
        `stopped at node ${node.id}: one turn may send at most ${MAX_MESSAGES_PER_TURN} messages`,
      );
      return;
    }
    switch (transition.kind) {
      case 'follow':
        nextId = targetOf(turn.flow, node.id, transition.handle);
        break;
      case 'goto':
        nextId = transition.nodeId;
        break;
      case 'wait':
        conversation.wait = transition.wait;
        return;
      case 'finish':
        finishConversation(turn, conversation, transition.status);
        return;
    }
  }
}

/** Starts a new turn (the loop guard counts per turn) and walks from `start`. */
export function walkNewTurn(turn: Turn, conversation: Conversation, start: string | null): void {
  conversation.turnSteps = 0;
  conversation.wait = null;
  walk(turn, conversation, start);
}
