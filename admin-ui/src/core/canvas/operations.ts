import { type NodeConfigs, type NodeType, nodeDefinition, nodeDefinitions } from '@parley/schemas';
import { nextId, nextIds } from '../ids';
import {
  type Canvas,
  type CanvasEdge,
  type CanvasFlowNode,
  type CanvasNode,
  isFlowNode,
  isTriggerNode,
  TRIGGER_HANDLE,
  type TriggerNode,
  triggerEdgeId,
  triggerNodeId,
} from './model';

/** The provider and model a new AI block starts with: the workspace's first provider and its default. */
export interface AiStart {
  credentialId: string;
  model: string;
}

/**
 * A new block of a type with its defaults, under a fresh id; `existing` are the canvas's nodes, so
 * a new question saves under a variable no other node defines; an AI block starts with `aiStart`.
 */
export function createNode(
  type: NodeType,
  position: { x: number; y: number },
  existing: CanvasNode[],
  aiStart: AiStart | null = null,
): CanvasFlowNode {
  const definition = nodeDefinitions[type];
  const defined = new Set(
    existing
      .filter(isFlowNode)
      .flatMap((node) => nodeDefinition(node.type).references(node.data.config as never).defines),
  );
  const defaults = definition.freshDefaults?.(defined) ?? definition.defaults();
  const config = (
    definition.category === 'ai' && aiStart !== null ? { ...defaults, ...aiStart } : defaults
  ) as NodeConfigs[typeof type];
  return {
    id: nextId(
      'n',
      existing.map((node) => node.id),
    ),
    type,
    position,
    data: { config },
  } as CanvasFlowNode;
}

/** The trigger ids in use (trigger cards are named `trigger:<id>`). */
export function triggerIds(nodes: CanvasNode[]): string[] {
  return nodes.filter(isTriggerNode).map((node) => node.data.trigger.id);
}

/** A new "any message" Start card leading to `targetId`, with its edge. */
export function createTrigger(
  canvas: Pick<Canvas, 'nodes'>,
  targetId: string | null,
  position: { x: number; y: number },
): { node: TriggerNode; edge: CanvasEdge | null } {
  const id = nextId('t', triggerIds(canvas.nodes));
  const node: TriggerNode = {
    id: triggerNodeId(id),
    type: 'trigger',
    position,
    data: { trigger: { id, type: 'any_message' } },
  };
  const edge =
    targetId === null
      ? null
      : { id: triggerEdgeId(id), source: node.id, sourceHandle: TRIGGER_HANDLE, target: targetId };
  return { node, edge };
}

/**
 * Adds a connection from a node's outcome to another node. An outcome leads to one place only, so
 * an earlier connection from the same outcome is replaced. Connections to a trigger, to itself
 * from a trigger, or without an outcome are refused (returns the edges unchanged).
 */
export function connect(
  nodes: CanvasNode[],
  edges: CanvasEdge[],
  connection: { source: string; sourceHandle: string | null; target: string },
): CanvasEdge[] {
  const source = nodes.find((node) => node.id === connection.source);
  const target = nodes.find((node) => node.id === connection.target);
  if (source === undefined || target === undefined || !isFlowNode(target)) return edges;
  if (connection.sourceHandle === null || connection.sourceHandle === '') return edges;
  const kept = edges.filter(
    (edge) => !(edge.source === connection.source && edge.sourceHandle === connection.sourceHandle),
  );
  const id = isTriggerNode(source)
    ? triggerEdgeId(source.data.trigger.id)
    : nextId(
        'e',
        edges.map((edge) => edge.id),
      );
  return [
    ...kept,
    { id, source: connection.source, sourceHandle: connection.sourceHandle, target: connection.target },
  ];
}

/** How far below a block a new one goes when added after it. */
const BELOW_GAP = 60;
const DEFAULT_HEIGHT = 120;

/**
 * Where a block added after `afterId` goes: below it, and connected from its first outcome that
 * has no connection yet (none when every outcome is taken). Undefined when there is no such block.
 */
export function placeAfter(
  nodes: CanvasNode[],
  edges: CanvasEdge[],
  afterId: string,
): { position: { x: number; y: number }; from: { source: string; sourceHandle: string } | null } | undefined {
  const after = nodes.find((node) => node.id === afterId);
  if (after === undefined || !isFlowNode(after)) return undefined;
  const taken = new Set(edges.filter((edge) => edge.source === afterId).map((edge) => edge.sourceHandle));
  const free = nodeDefinition(after.type)
    .handles(after.data.config as never)
    .find((handle) => !taken.has(handle.id));
  return {
    position: {
      x: after.position.x,
      y: after.position.y + (after.measured?.height ?? DEFAULT_HEIGHT) + BELOW_GAP,
    },
    from: free === undefined ? null : { source: afterId, sourceHandle: free.id },
  };
}

/** Removes edges whose outcome no longer exists on their source block (a deleted choice or branch). */
export function pruneDanglingEdges(nodes: CanvasNode[], edges: CanvasEdge[]): CanvasEdge[] {
  const handles = new Map<string, Set<string>>();
  for (const node of nodes) {
    if (isFlowNode(node)) {
      const definition = nodeDefinitions[node.type as NodeType] as unknown as {
        handles: (config: unknown) => { id: string }[];
      };
      handles.set(node.id, new Set(definition.handles(node.data.config).map((handle) => handle.id)));
    } else {
      handles.set(node.id, new Set([TRIGGER_HANDLE]));
    }
  }
  const next = edges.filter((edge) => {
    const outcomes = handles.get(edge.source);
    return outcomes === undefined || outcomes.has(edge.sourceHandle ?? '');
  });
  return next.length === edges.length ? edges : next;
}

/** What Ctrl+C keeps: the selected blocks and the connections between them. */
export interface Clipboard {
  nodes: CanvasFlowNode[];
  edges: CanvasEdge[];
}

export function copySelection(
  canvas: Pick<Canvas, 'nodes' | 'edges'>,
  selected: ReadonlySet<string>,
): Clipboard {
  const nodes = canvas.nodes.filter(
    (node): node is CanvasFlowNode => isFlowNode(node) && selected.has(node.id),
  );
  const ids = new Set(nodes.map((node) => node.id));
  const edges = canvas.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));
  return { nodes: structuredClone(nodes), edges: structuredClone(edges) };
}

/**
 * The clipboard's blocks under new ids, moved by `offset`, with their inner connections (and
 * "go to" targets inside the copy) pointing at the copies. Returned nodes are selected.
 */
export function pasteClipboard(
  clipboard: Clipboard,
  canvas: Pick<Canvas, 'nodes' | 'edges'>,
  offset: { x: number; y: number },
): { nodes: CanvasFlowNode[]; edges: CanvasEdge[] } {
  const nodeIds = nextIds(
    'n',
    canvas.nodes.map((node) => node.id),
    clipboard.nodes.length,
  );
  const rename = new Map(clipboard.nodes.map((node, index) => [node.id, nodeIds[index] as string]));
  const nodes = clipboard.nodes.map((node) => {
    const copy = structuredClone(node);
    const retarget = nodeDefinition(copy.type).retarget;
    const config =
      retarget === undefined ? copy.data.config : retarget(copy.data.config, (id) => rename.get(id) ?? id);
    return {
      id: rename.get(node.id) as string,
      type: copy.type,
      position: { x: copy.position.x + offset.x, y: copy.position.y + offset.y },
      data: { config },
      selected: true,
    } as CanvasFlowNode;
  });
  const edgeIds = nextIds(
    'e',
    canvas.edges.map((edge) => edge.id),
    clipboard.edges.length,
  );
  const edges = clipboard.edges.map((edge, index) => ({
    id: edgeIds[index] as string,
    source: rename.get(edge.source) as string,
    sourceHandle: edge.sourceHandle ?? null,
    target: rename.get(edge.target) as string,
  }));
  return { nodes, edges };
}
