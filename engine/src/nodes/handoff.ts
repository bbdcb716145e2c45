import { closedText, describeOpening, openingAt, renderTemplate } from '@parley/schemas';
import type { Conversation } from '../state.js';
import { scopeOf, send, type Turn } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

/**
 * Outside business hours: tells the contact when someone will answer, and returns that moment
 * (the hand-off's timeout counts from it). A time zone Intl does not know is logged and ignored.
 */
function tellWhenOpen(turn: Turn, conversation: Conversation): number {
  const hours = turn.options.businessHours;
  if (hours === undefined || hours === null) return turn.now;
  let opening: ReturnType<typeof openingAt>;
  try {
    opening = openingAt(hours, turn.now);
  } catch (problem) {
    if (!(problem instanceof RangeError)) throw problem;
    turn.log.push(`business hours ignored: ${problem.message}`);
    return turn.now;
  }
  if (opening.open) return turn.now;
  const opensAt =
    opening.opensAt === null
      ? null
      : describeOpening(opening.opensAt, hours.timeZone, turn.flow.settings.locale);
  send(turn, conversation, 'message', closedText(hours, opensAt));
  return opening.opensAt ?? turn.now;
}

/** Says the optional last message and leaves the conversation to a person, with its timeout set. */
export const handoffExecutor: NodeExecutor<'handoff'> = {
  run: (node, conversation, turn) => {
    if (node.config.text !== undefined) {
      send(turn, conversation, 'message', renderTemplate(node.config.text, scopeOf(turn, conversation)));
    }
    const countsFrom = tellWhenOpen(turn, conversation);
    conversation.handoffAt = turn.now;
    conversation.handoffNodeId = node.id;
    delete conversation.agentRepliedAt;
    const timeout = turn.flow.settings.handoff;
    if (timeout === undefined) delete conversation.handoffTimeoutAt;
    else conversation.handoffTimeoutAt = countsFrom + timeout.timeoutMs;
    return { kind: 'finish', status: 'handoff' };
  },
};
