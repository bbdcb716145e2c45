import type { FlowDocument, FlowNode } from '../flow/document.js';
import { nodeName } from '../flow/node-name.js';
import { nodeDefinition } from '../nodes/registry.js';
import { type Problem, warning } from './problem.js';

/**
 * The most messages one turn (the bot's answer to one message, timer or http result) sends; the
 * runtime stops a turn that would send more and ends the conversation with the fallback text.
 * A product limit rather than a flow setting: nobody reads 50 messages in a row on WhatsApp.
 */
export const MAX_MESSAGES_PER_TURN = 50;

/** Whether the turn is over after the node: it waits for an answer, a result or a timer, or finishes. */
function stopsTurn(node: FlowNode): boolean {
  return nodeDefinition(node.type).stops !== undefined;
}

function messagesSentBy(node: FlowNode): number {
  return nodeDefinition(node.type).sends?.(node.config) ?? 0;
}

/**
 * The most messages a walk from each node can send before the turn is over, counted up to one past
 * the cap. Iterative (a 10,000-node chain must not overflow the stack); a connection back into
 * the walk counts nothing more: loops that never wait are the step guard's business.
 */
function mostMessagesFrom(doc: FlowDocument): Map<string, number> {
  const byId = new Map(doc.nodes.map((node) => [node.id, node]));
  const next = new Map<string, string[]>();
  for (const edge of doc.edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  for (const node of doc.nodes) {
    const successors = nodeDefinition(node.type).successors?.(node.config) ?? [];
    next.set(node.id, [...(next.get(node.id) ?? []), ...successors]);
  }
  const most = new Map<string, number>();
  const visiting = new Set<string>();
  for (const root of byId.keys()) {
    const stack: string[] = [root];
    while (stack.length > 0) {
      const id = stack.at(-1) as string;
      const node = byId.get(id);
      if (most.has(id) || node === undefined) {
        stack.pop();
        continue;
      }
      const children = stopsTurn(node) ? [] : (next.get(id) ?? []).filter((child) => byId.has(child));
      const pending = children.filter((child) => !most.has(child) && !visiting.has(child));
      if (!visiting.has(id) && pending.length > 0) {
        visiting.add(id);
        stack.push(...pending);
        continue;
      }
      const after = Math.max(0, ...children.map((child) => most.get(child) ?? 0));
      most.set(id, Math.min(MAX_MESSAGES_PER_TURN + 1, messagesSentBy(node) + after));
      visiting.delete(id);
      stack.pop();
    }
  }
  return most;
}

/**
 * Warns where a turn can start (a trigger, or what follows a question, http request or delay) and
 * then send more messages than one turn may, so authors split them before the runtime cuts them.
 */
export function messageCapWarnings(doc: FlowDocument): Problem[] {
  const most = mostMessagesFrom(doc);
  const tooMany = (id: string) => (most.get(id) ?? 0) > MAX_MESSAGES_PER_TURN;
  const advice = `Only ${MAX_MESSAGES_PER_TURN} messages are sent in a row without waiting for the contact; then the conversation stops with the fallback text. Put a question between them, or send fewer messages.`;
  const problems: Problem[] = [];
  doc.triggers.forEach((trigger, index) => {
    if (tooMany(trigger.target)) {
      problems.push(
        warning(
          `/triggers/${index}`,
          `Trigger “${trigger.id}” starts a path that sends more than ${MAX_MESSAGES_PER_TURN} messages at once. ${advice}`,
        ),
      );
    }
  });
  const indexOf = new Map(doc.nodes.map((node, index) => [node.id, index]));
  const warned = new Set<string>();
  doc.edges.forEach((edge) => {
    const source = indexOf.get(edge.source) ?? -1;
    const node = doc.nodes[source];
    if (
      node === undefined ||
      // Paths after a node that stops the turn (a wait, a hand-off's timeout) start a turn of their own.
      nodeDefinition(node.type).stops === undefined ||
      warned.has(node.id) ||
      !tooMany(edge.target)
    )
      return;
    warned.add(node.id);
    problems.push(
      warning(
        `/nodes/${source}`,
        `After ${nodeName(node)} a path sends more than ${MAX_MESSAGES_PER_TURN} messages at once. ${advice}`,
      ),
    );
  });
  return problems;
}
