import { answerByLabel, choiceLabels, type FlowDocument, type FlowNode, nodeName } from '@parley/schemas';

/** A stored definition's nodes, or none when it no longer reads as a Flow Document. */
function nodesOf(definition: unknown): FlowNode[] {
  const nodes = (definition as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) ? (nodes as FlowNode[]) : [];
}

/** The block a conversation is at, as people name it; null when the version has no such block. */
export function stepName(definition: unknown, nodeId: string | null): string | null {
  const node = nodesOf(definition).find((candidate) => candidate.id === nodeId);
  return node === undefined ? null : nodeName(node);
}

/** The answers with each choice written by the label the contact picked. */
export function answersByLabel(
  definition: unknown,
  answers: Record<string, unknown>,
): Record<string, unknown> {
  const labels = choiceLabels([{ nodes: nodesOf(definition) } as FlowDocument]);
  return Object.fromEntries(
    Object.entries(answers).map(([variable, value]) => [variable, answerByLabel(labels, variable, value)]),
  );
}

/**
 * The engine's reason for a failure names blocks by id (“no valid answer to n3 after 3 attempts”):
 * the same sentence with each block named as people name it.
 */
export function readableEndReason(definition: unknown, reason: string | null): string | null {
  if (reason === null) return null;
  let readable = reason;
  for (const node of nodesOf(definition)) {
    const id = node.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const named = new RegExp(`\\bnode ${id}(?=[\\s:,.]|$)|\\b(to|of) ${id}(?=[\\s:,.]|$)`, 'g');
    readable = readable.replace(named, (_match, word?: string) =>
      word === undefined ? nodeName(node) : `${word} ${nodeName(node)}`,
    );
  }
  return readable;
}
