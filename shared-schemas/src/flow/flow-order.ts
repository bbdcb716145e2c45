import { nodeDefinition } from '../nodes/registry.js';
import type { Edge, FlowDocument, FlowNode } from './document.js';
import { handleKey, handlesOf } from './flow-index.js';

/** The nodes a node continues at: its connected outcomes in order, then its own successors. */
export function nextNodeIds(node: FlowNode, edgeTargets: ReadonlyMap<string, string>): string[] {
  return [
    ...handlesOf(node).flatMap((handle) => edgeTargets.get(handleKey(node.id, handle)) ?? []),
    ...(nodeDefinition(node.type).successors?.(node.config) ?? []),
  ];
}

/** Node ids in the order a walk from the triggers meets them (depth-first, outcomes in order). */
export function walkOrder(starts: string[], edges: Edge[], nodes: Map<string, FlowNode>): string[] {
  const edgeTargets = new Map<string, string>();
  for (const edge of edges) {
    const key = handleKey(edge.source, edge.sourceHandle);
    if (!edgeTargets.has(key)) edgeTargets.set(key, edge.target);
  }
  const order: string[] = [];
  const seen = new Set<string>();
  const stack = [...starts].reverse();
  while (stack.length > 0) {
    const id = stack.pop() as string;
    const node = nodes.get(id);
    if (node === undefined || seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    stack.push(...nextNodeIds(node, edgeTargets).reverse());
  }
  return order;
}

/** Every node of the document: those a walk from the triggers meets, in that order, then the rest. */
export function flowOrder(doc: FlowDocument): FlowNode[] {
  const byId = new Map<string, FlowNode>();
  for (const node of doc.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const walked = walkOrder(
    doc.triggers.map((trigger) => trigger.target),
    doc.edges,
    byId,
  );
  const walkedSet = new Set(walked);
  return [
    ...walked.map((id) => byId.get(id) as FlowNode),
    ...doc.nodes.filter((node) => !walkedSet.has(node.id)),
  ];
}
