import { nodeDefinition } from '../nodes/registry.js';
import type { Edge, FlowDocument, FlowNode } from './document.js';

/** Lookups over a Flow Document that validation and the engine both need. */
export interface FlowIndex {
  document: FlowDocument;
  nodeById: Map<string, FlowNode>;
  /** The edge leaving a node by a handle, keyed by `handleKey(source, handle)`. */
  edgeByHandle: Map<string, Edge>;
  /** Variables the nodes ask the contact for, in node order. */
  askedVariables: string[];
}

/** The key of a node's outcome: unambiguous whatever the ids contain (`a` + `b c` is not `a b` + `c`). */
export function handleKey(source: string, handle: string): string {
  return JSON.stringify([source, handle]);
}

export function indexFlow(document: FlowDocument): FlowIndex {
  const nodeById = new Map<string, FlowNode>();
  for (const node of document.nodes) if (!nodeById.has(node.id)) nodeById.set(node.id, node);
  const edgeByHandle = new Map<string, Edge>();
  for (const edge of document.edges) {
    const key = handleKey(edge.source, edge.sourceHandle);
    if (!edgeByHandle.has(key)) edgeByHandle.set(key, edge);
  }
  const askedVariables = [
    ...new Set(
      document.nodes.flatMap((node) => nodeDefinition(node.type).asks?.(node.config).variable ?? []),
    ),
  ];
  return { document, nodeById, edgeByHandle, askedVariables };
}

/** The ids of the handles a node can leave by. */
export function handlesOf(node: FlowNode): string[] {
  return nodeDefinition(node.type)
    .handles(node.config)
    .map((handle) => handle.id);
}
