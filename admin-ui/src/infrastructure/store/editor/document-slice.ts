import { type NodeType, nodeDefinition, type QuestionConfig } from '@parley/schemas';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import {
  type AiStart,
  type Canvas,
  type CanvasEdge,
  type CanvasFlowNode,
  type CanvasNode,
  connect,
  createNode,
  createTrigger,
  type FlowMeta,
  isFlowNode,
  isTriggerNode,
  placeAfter,
  pruneDanglingEdges,
  TRIGGER_OFFSET,
  type TriggerNode,
  type TriggerSettings,
} from '@/core/canvas';
import { variableFromPrompt } from '@/core/questions/variable-from-prompt';
import type { GetEditor, SetEditor } from './editor-state';
import type { Edits } from './history-slice';

/** The flow on the canvas and every edit of it. */
export interface DocumentSlice extends Canvas {
  /** Bumped whenever the document (not just the view) changes. */
  revision: number;
  /**
   * Questions added since the flow was loaded whose variable still follows their prompt: it does
   * until the admin writes the variable's name themselves.
   */
  promptNamed: ReadonlySet<string>;
  /** The provider (and its default model) a new AI block starts with, so it is valid at once. */
  aiStart: AiStart | null;
  setAiStart: (start: AiStart | null) => void;
  onNodesChange: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<CanvasEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  addNode: (
    type: NodeType,
    position: { x: number; y: number },
    connectFrom?: { source: string; sourceHandle: string },
  ) => string | null;
  /**
   * Adds a block below the one selected, connected from its first free outcome; with no single block
   * selected, at `fallback`. Returns the new block's id.
   */
  addNodeAfterSelection: (type: NodeType, fallback: { x: number; y: number }) => string | null;
  updateConfig: (nodeId: string, config: unknown, field?: string) => void;
  /** Names a block for people (an empty name removes it). */
  updateLabel: (nodeId: string, label: string) => void;
  updateTrigger: (nodeId: string, trigger: TriggerSettings, field?: string) => void;
  addTrigger: (position: { x: number; y: number }) => void;
  setMeta: (meta: FlowMeta, field?: string) => void;
  deleteSelection: () => void;
  deleteNode: (nodeId: string) => void;
  applyPositions: (positions: Map<string, { x: number; y: number }>) => void;
}

/** A question's settings with its variable named after its prompt, apart from what other blocks save. */
function withVariableFromPrompt(nodes: CanvasNode[], nodeId: string, config: QuestionConfig): QuestionConfig {
  const taken = new Set(
    nodes
      .filter((node) => isFlowNode(node) && node.id !== nodeId)
      .flatMap(
        (node) =>
          nodeDefinition(node.type as NodeType).references((node as CanvasFlowNode).data.config as never)
            .defines,
      ),
  );
  return { ...config, variable: variableFromPrompt(config.prompt, taken) };
}

export function createDocumentSlice(set: SetEditor, get: GetEditor, edits: Edits): DocumentSlice {
  return {
    meta: { name: '' },
    nodes: [],
    edges: [],
    revision: 0,
    promptNamed: new Set(),
    aiStart: null,
    setAiStart: (aiStart) => set({ aiStart }),

    onNodesChange: (changes) => {
      const { readOnly, nodes } = get();
      const allowed = readOnly
        ? changes.filter((change) => change.type === 'select' || change.type === 'dimensions')
        : changes.filter((change) => change.type !== 'remove');
      if (allowed.length === 0) return;
      const moves = allowed.filter((change) => change.type === 'position');
      if (moves.some((change) => change.type === 'position' && change.dragging)) edits.dragStarted();
      const next = applyNodeChanges(allowed, nodes);
      const ended = moves.some((change) => change.type === 'position' && change.dragging === false);
      if (ended && edits.dragEnded()) edits.commit({ nodes: next });
      else set({ nodes: next });
    },

    onEdgesChange: (changes) => {
      const allowed = changes.filter((change) => change.type === 'select');
      if (allowed.length > 0) set({ edges: applyEdgeChanges(allowed, get().edges) });
    },

    onConnect: (connection) => {
      if (get().readOnly) return;
      const { nodes, edges } = get();
      const next = connect(nodes, edges, connection);
      if (next === edges) return;
      edits.record();
      edits.commit({ edges: next });
    },

    addNode: (type, position, connectFrom) => {
      if (get().readOnly) return null;
      edits.record();
      const { nodes, edges } = get();
      const block = createNode(type, position, nodes, get().aiStart);
      const deselected = nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
      const additions: CanvasNode[] = [{ ...block, selected: true }];
      let nextEdges = edges;
      if (!nodes.some(isTriggerNode)) {
        const start = createTrigger({ nodes }, block.id, {
          x: position.x + TRIGGER_OFFSET.x,
          y: position.y + TRIGGER_OFFSET.y,
        });
        additions.unshift(start.node);
        if (start.edge) nextEdges = [...edges, start.edge];
      }
      const nextNodes = [...deselected, ...additions];
      // One edit: undo removes the block and its connection together.
      if (connectFrom !== undefined)
        nextEdges = connect(nextNodes, nextEdges, { ...connectFrom, target: block.id });
      edits.commit({ nodes: nextNodes, edges: nextEdges });
      // A block that asks for an answer names its variable after its prompt until the admin does.
      if (nodeDefinition(type).asks !== undefined)
        set({ promptNamed: new Set([...get().promptNamed, block.id]) });
      return block.id;
    },

    addNodeAfterSelection: (type, fallback) => {
      const { nodes, edges } = get();
      const selected = nodes.filter((node) => node.selected);
      const place =
        selected.length === 1 ? placeAfter(nodes, edges, (selected[0] as CanvasNode).id) : undefined;
      return get().addNode(type, place?.position ?? fallback, place?.from ?? undefined);
    },

    updateConfig: (nodeId, config, field) => {
      if (get().readOnly) return;
      const current = get().nodes.find((node) => node.id === nodeId);
      if (current === undefined || !isFlowNode(current)) return;
      if (JSON.stringify(current.data.config) === JSON.stringify(config)) return;
      edits.record(`config:${nodeId}:${field ?? '*'}`);
      const follows = get().promptNamed.has(nodeId);
      if (follows && field === 'variable') {
        set({ promptNamed: new Set([...get().promptNamed].filter((id) => id !== nodeId)) });
      }
      // In the same edit, so one undo takes back the prompt and the name it gave.
      const next =
        follows && field === 'prompt'
          ? withVariableFromPrompt(get().nodes, nodeId, config as QuestionConfig)
          : config;
      const nodes = get().nodes.map((node) =>
        node.id === nodeId ? ({ ...node, data: { ...node.data, config: next } } as CanvasFlowNode) : node,
      );
      edits.commit({ nodes, edges: pruneDanglingEdges(nodes, get().edges) });
    },

    updateLabel: (nodeId, label) => {
      if (get().readOnly) return;
      const current = get().nodes.find((node) => node.id === nodeId);
      if (current === undefined || !isFlowNode(current)) return;
      const next = label.trim() === '' ? undefined : label;
      if (current.data.label === next) return;
      edits.record(`label:${nodeId}`);
      const nodes = get().nodes.map((node) => {
        if (node.id !== nodeId || !isFlowNode(node)) return node;
        const { label: _old, ...data } = node.data;
        return { ...node, data: next === undefined ? data : { ...data, label: next } } as CanvasFlowNode;
      });
      edits.commit({ nodes });
    },

    updateTrigger: (nodeId, trigger, field) => {
      if (get().readOnly) return;
      const current = get().nodes.find((node) => node.id === nodeId);
      if (current === undefined || !isTriggerNode(current)) return;
      if (JSON.stringify(current.data.trigger) === JSON.stringify(trigger)) return;
      edits.record(`trigger:${nodeId}:${field ?? '*'}`);
      edits.commit({
        nodes: get().nodes.map((node) =>
          node.id === nodeId ? ({ ...node, data: { trigger } } as TriggerNode) : node,
        ),
      });
    },

    addTrigger: (position) => {
      if (get().readOnly) return;
      edits.record();
      const { nodes } = get();
      const { node } = createTrigger({ nodes }, null, position);
      edits.commit({
        nodes: [
          ...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
          { ...node, selected: true },
        ],
      });
    },

    setMeta: (meta, field) => {
      if (get().readOnly) return;
      if (JSON.stringify(meta) === JSON.stringify(get().meta)) return;
      edits.record(`meta:${field ?? '*'}`);
      edits.commit({ meta });
    },

    deleteSelection: () => {
      if (get().readOnly) return;
      const { nodes, edges } = get();
      const doomed = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
      const doomedEdges = edges.filter(
        (edge) => edge.selected || doomed.has(edge.source) || doomed.has(edge.target),
      );
      if (doomed.size === 0 && doomedEdges.length === 0) return;
      edits.record();
      const gone = new Set(doomedEdges.map((edge) => edge.id));
      edits.commit({
        nodes: nodes.filter((node) => !doomed.has(node.id)),
        edges: edges.filter((edge) => !gone.has(edge.id)),
      });
    },

    deleteNode: (nodeId) => {
      if (get().readOnly) return;
      edits.record();
      const { nodes, edges } = get();
      edits.commit({
        nodes: nodes.filter((node) => node.id !== nodeId),
        edges: edges.filter((edge) => edge.source !== nodeId && edge.target !== nodeId),
      });
    },

    applyPositions: (positions) => {
      if (get().readOnly) return;
      edits.record();
      edits.commit({
        nodes: get().nodes.map((node) => {
          const position = positions.get(node.id);
          return position === undefined ? node : { ...node, position };
        }),
      });
    },
  };
}
