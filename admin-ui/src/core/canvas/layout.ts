import dagre from '@dagrejs/dagre';
import type { CanvasEdge, CanvasNode } from './model';

export const DEFAULT_SIZE = { width: 280, height: 140 };
export const TRIGGER_SIZE = { width: 240, height: 96 };

export interface LayoutInput {
  nodes: { id: string; width: number; height: number }[];
  edges: { source: string; target: string; order: number }[];
}

/** What the layout needs: each node's drawn size (or a default) and the connections, by outcome order. */
export function layoutInput(nodes: CanvasNode[], edges: CanvasEdge[]): LayoutInput {
  const ids = new Set(nodes.map((node) => node.id));
  const fallback = (node: CanvasNode) => (node.type === 'trigger' ? TRIGGER_SIZE : DEFAULT_SIZE);
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      width: node.measured?.width ?? node.width ?? fallback(node).width,
      height: node.measured?.height ?? node.height ?? fallback(node).height,
    })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target) && edge.source !== edge.target)
      .map((edge, order) => ({ source: edge.source, target: edge.target, order })),
  };
}

/**
 * Left-to-right positions (top-left corners) for every node, so that conversations read from the
 * Start cards rightwards and the outcomes of a block fan out below one another.
 */
export function autoLayout(input: LayoutInput): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of input.nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of input.edges) graph.setEdge(edge.source, edge.target, { weight: 1 }, String(edge.order));
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of input.nodes) {
    const laid = graph.node(node.id) as { x: number; y: number } | undefined;
    if (laid === undefined) continue;
    positions.set(node.id, {
      x: Math.round(laid.x - node.width / 2),
      y: Math.round(laid.y - node.height / 2),
    });
  }
  return positions;
}
