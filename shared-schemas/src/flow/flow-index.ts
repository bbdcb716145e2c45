import type { StoredAnswer } from '../nodes/node-definition.js';
import { nodeDefinition } from '../nodes/registry.js';
import type { Edge, FlowDocument, FlowNode } from './document.js';

/** Lookups over a Flow Document that validation and the engine both need. */
export interface FlowIndex {
  document: FlowDocument;
  nodeById: Map<string, FlowNode>;
  /** The edge leaving a node by a handle, keyed by `handleKey(source, handle)`. */
  edgeByHandle: Map<string, Edge>;
  /** The variables that make the conversation's answers: those the nodes ask for or store, in node order. */
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
  const askedVariables = [...new Set(document.nodes.flatMap((node) => answerVariables(node)))];
  return { document, nodeById, edgeByHandle, askedVariables };
}

/** The variables a node asks for or stores as answers. */
function answerVariables(node: FlowNode): string[] {
  const definition = nodeDefinition(node.type);
  return [
    ...(definition.asks === undefined ? [] : [definition.asks(node.config).variable]),
    ...(definition.stores?.(node.config).map((stored) => stored.variable) ?? []),
  ];
}

/** The answers the nodes store without asking, in node order (the first node to store a variable names it). */
export function storedAnswers(document: FlowDocument): StoredAnswer[] {
  const seen = new Set<string>();
  return document.nodes.flatMap((node) =>
    (nodeDefinition(node.type).stores?.(node.config) ?? []).filter((stored) => {
      if (seen.has(stored.variable)) return false;
      seen.add(stored.variable);
      return true;
    }),
  );
}

/** The ids of the handles a node can leave by. */
export function handlesOf(node: FlowNode): string[] {
  return nodeDefinition(node.type)
    .handles(node.config)
    .map((handle) => handle.id);
}
