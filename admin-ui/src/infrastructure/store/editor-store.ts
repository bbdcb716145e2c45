import type { NodeType } from '@parley/schemas';
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { create } from 'zustand';
import {
  type Canvas,
  type CanvasEdge,
  type CanvasFlowNode,
  type CanvasNode,
  type Clipboard,
  connect,
  copySelection,
  createNode,
  createTrigger,
  type FlowMeta,
  isFlowNode,
  isTriggerNode,
  type LocatedProblem,
  pasteClipboard,
  problemsByNode,
  pruneDanglingEdges,
  TRIGGER_OFFSET,
  type TriggerNode,
  type TriggerSettings,
} from '@/core/canvas';

interface Snapshot {
  meta: FlowMeta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

const HISTORY_LIMIT = 100;
/** Typing in one field within this many ms is one undo step. */
const COALESCE_MS = 1500;

export interface EditorState extends Canvas {
  flowId: string | null;
  readOnly: boolean;
  /** Bumped whenever the document (not just the view) changes. */
  revision: number;
  /** Bumped whenever a flow (or a version of it) is loaded. */
  loadId: number;
  past: Snapshot[];
  future: Snapshot[];
  problems: LocatedProblem[];
  problemsByNode: Map<string, LocatedProblem[]>;
  clipboard: Clipboard | null;
  /** A node the canvas should bring into view (problems list, search). */
  focus: { nodeId: string; at: number } | null;
  etag: string | null;
  savedRevision: number;
  saveStatus: SaveStatus;
  saveError: string | null;

  load: (canvas: Canvas, options: { flowId: string; etag: string; readOnly: boolean }) => void;
  setReadOnly: (readOnly: boolean) => void;
  onNodesChange: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<CanvasEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  addNode: (type: NodeType, position: { x: number; y: number }) => string | null;
  updateConfig: (nodeId: string, config: unknown, field?: string) => void;
  updateTrigger: (nodeId: string, trigger: TriggerSettings, field?: string) => void;
  addTrigger: (position: { x: number; y: number }) => void;
  setMeta: (meta: FlowMeta, field?: string) => void;
  deleteSelection: () => void;
  deleteNode: (nodeId: string) => void;
  copy: () => number;
  paste: () => number;
  undo: () => void;
  redo: () => void;
  applyPositions: (positions: Map<string, { x: number; y: number }>) => void;
  select: (nodeId: string | null, focus?: boolean) => void;
  setProblems: (problems: LocatedProblem[]) => void;
  setSave: (patch: Partial<Pick<EditorState, 'etag' | 'savedRevision' | 'saveStatus' | 'saveError'>>) => void;
}

let dragStart: Snapshot | null = null;
let lastEdit: { key: string; at: number } | null = null;

const empty: Canvas = { meta: { name: '' }, nodes: [], edges: [] };

/** The flow open in the editor: the canvas, its undo history, problems and save state. */
export const useEditorStore = create<EditorState>((set, get) => {
  const snapshot = (): Snapshot => {
    const { meta, nodes, edges } = get();
    return { meta, nodes, edges };
  };

  /** Records the state before a change (merging rapid edits of one field) and clears redo. */
  const record = (coalesceKey?: string) => {
    const now = Date.now();
    if (coalesceKey !== undefined && lastEdit?.key === coalesceKey && now - lastEdit.at < COALESCE_MS) {
      lastEdit = { key: coalesceKey, at: now };
      return;
    }
    lastEdit = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
    set({ past: [...get().past.slice(-(HISTORY_LIMIT - 1)), snapshot()], future: [] });
  };

  const changed = (patch: Partial<EditorState>) => {
    set({
      ...patch,
      revision: get().revision + 1,
      saveStatus: get().saveStatus === 'conflict' ? 'conflict' : 'dirty',
    });
  };

  const restore = (target: Snapshot) => {
    const selected = new Set(
      get()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    );
    const nodes = target.nodes.map((node) =>
      Boolean(node.selected) === selected.has(node.id) ? node : { ...node, selected: selected.has(node.id) },
    );
    lastEdit = null;
    changed({ meta: target.meta, nodes, edges: target.edges });
  };

  return {
    ...empty,
    flowId: null,
    readOnly: true,
    revision: 0,
    loadId: 0,
    past: [],
    future: [],
    problems: [],
    problemsByNode: new Map(),
    clipboard: null,
    focus: null,
    etag: null,
    savedRevision: 0,
    saveStatus: 'saved',
    saveError: null,

    load: (canvas, { flowId, etag, readOnly }) => {
      dragStart = null;
      lastEdit = null;
      set({
        ...canvas,
        flowId,
        etag,
        readOnly,
        revision: 0,
        loadId: get().loadId + 1,
        savedRevision: 0,
        saveStatus: 'saved',
        saveError: null,
        past: [],
        future: [],
        problems: [],
        problemsByNode: new Map(),
        focus: null,
      });
    },

    setReadOnly: (readOnly) => set({ readOnly }),

    onNodesChange: (changes) => {
      const { readOnly, nodes } = get();
      const allowed = readOnly
        ? changes.filter((change) => change.type === 'select' || change.type === 'dimensions')
        : changes.filter((change) => change.type !== 'remove');
      if (allowed.length === 0) return;
      const moves = allowed.filter((change) => change.type === 'position');
      if (moves.some((change) => change.type === 'position' && change.dragging) && dragStart === null) {
        dragStart = snapshot();
      }
      const next = applyNodeChanges(allowed, nodes);
      const ended = moves.some((change) => change.type === 'position' && change.dragging === false);
      if (ended && dragStart !== null) {
        set({ past: [...get().past.slice(-(HISTORY_LIMIT - 1)), dragStart], future: [] });
        dragStart = null;
        lastEdit = null;
        changed({ nodes: next });
      } else {
        set({ nodes: next });
      }
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
      record();
      changed({ edges: next });
    },

    addNode: (type, position) => {
      if (get().readOnly) return null;
      record();
      const { nodes, edges } = get();
      const created = createNode(
        type,
        position,
        nodes.map((node) => node.id),
      );
      const deselected = nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
      const additions: CanvasNode[] = [{ ...created, selected: true }];
      let nextEdges = edges;
      if (!nodes.some(isTriggerNode)) {
        const start = createTrigger({ nodes }, created.id, {
          x: position.x + TRIGGER_OFFSET.x,
          y: position.y + TRIGGER_OFFSET.y,
        });
        additions.unshift(start.node);
        if (start.edge) nextEdges = [...edges, start.edge];
      }
      changed({ nodes: [...deselected, ...additions], edges: nextEdges });
      return created.id;
    },

    updateConfig: (nodeId, config, field) => {
      if (get().readOnly) return;
      const current = get().nodes.find((node) => node.id === nodeId);
      if (current === undefined || !isFlowNode(current)) return;
      if (JSON.stringify(current.data.config) === JSON.stringify(config)) return;
      record(`config:${nodeId}:${field ?? '*'}`);
      const nodes = get().nodes.map((node) =>
        node.id === nodeId ? ({ ...node, data: { ...node.data, config } } as CanvasFlowNode) : node,
      );
      changed({ nodes, edges: pruneDanglingEdges(nodes, get().edges) });
    },

    updateTrigger: (nodeId, trigger, field) => {
      if (get().readOnly) return;
      const current = get().nodes.find((node) => node.id === nodeId);
      if (current === undefined || !isTriggerNode(current)) return;
      if (JSON.stringify(current.data.trigger) === JSON.stringify(trigger)) return;
      record(`trigger:${nodeId}:${field ?? '*'}`);
      changed({
        nodes: get().nodes.map((node) =>
          node.id === nodeId ? ({ ...node, data: { trigger } } as TriggerNode) : node,
        ),
      });
    },

    addTrigger: (position) => {
      if (get().readOnly) return;
      record();
      const { nodes } = get();
      const { node } = createTrigger({ nodes }, null, position);
      changed({
        nodes: [
          ...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
          { ...node, selected: true },
        ],
      });
    },

    setMeta: (meta, field) => {
      if (get().readOnly) return;
      if (JSON.stringify(meta) === JSON.stringify(get().meta)) return;
      record(`meta:${field ?? '*'}`);
      changed({ meta });
    },

    deleteSelection: () => {
      if (get().readOnly) return;
      const { nodes, edges } = get();
      const doomed = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
      const doomedEdges = edges.filter(
        (edge) => edge.selected || doomed.has(edge.source) || doomed.has(edge.target),
      );
      if (doomed.size === 0 && doomedEdges.length === 0) return;
      record();
      const gone = new Set(doomedEdges.map((edge) => edge.id));
      changed({
        nodes: nodes.filter((node) => !doomed.has(node.id)),
        edges: edges.filter((edge) => !gone.has(edge.id)),
      });
    },

    deleteNode: (nodeId) => {
      if (get().readOnly) return;
      record();
      const { nodes, edges } = get();
      changed({
        nodes: nodes.filter((node) => node.id !== nodeId),
        edges: edges.filter((edge) => edge.source !== nodeId && edge.target !== nodeId),
      });
    },

    copy: () => {
      const { nodes, edges } = get();
      const selected = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
      const clipboard = copySelection({ nodes, edges }, selected);
      if (clipboard.nodes.length === 0) return 0;
      set({ clipboard });
      return clipboard.nodes.length;
    },

    paste: () => {
      const { clipboard, readOnly, nodes, edges } = get();
      if (readOnly || clipboard === null || clipboard.nodes.length === 0) return 0;
      record();
      const pasted = pasteClipboard(clipboard, { nodes, edges }, { x: 40, y: 40 });
      // Paste again and the copies cascade instead of stacking.
      set({
        clipboard: {
          nodes: clipboard.nodes.map((node) => ({
            ...node,
            position: { x: node.position.x + 40, y: node.position.y + 40 },
          })),
          edges: clipboard.edges,
        },
      });
      changed({
        nodes: [
          ...nodes.map((node) => (node.selected ? { ...node, selected: false } : node)),
          ...pasted.nodes,
        ],
        edges: [...edges, ...pasted.edges],
      });
      return pasted.nodes.length;
    },

    undo: () => {
      const { past, future, readOnly } = get();
      const previous = past.at(-1);
      if (readOnly || previous === undefined) return;
      const current = snapshot();
      set({ past: past.slice(0, -1), future: [...future, current] });
      restore(previous);
    },

    redo: () => {
      const { past, future, readOnly } = get();
      const next = future.at(-1);
      if (readOnly || next === undefined) return;
      const current = snapshot();
      set({ past: [...past, current], future: future.slice(0, -1) });
      restore(next);
    },

    applyPositions: (positions) => {
      if (get().readOnly) return;
      record();
      changed({
        nodes: get().nodes.map((node) => {
          const position = positions.get(node.id);
          return position === undefined ? node : { ...node, position };
        }),
      });
    },

    select: (nodeId, focus = false) => {
      set({
        nodes: get().nodes.map((node) => {
          const selected = node.id === nodeId;
          return Boolean(node.selected) === selected ? node : { ...node, selected };
        }),
        edges: get().edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        ...(focus && nodeId !== null ? { focus: { nodeId, at: Date.now() } } : {}),
      });
    },

    setProblems: (problems) => set({ problems, problemsByNode: problemsByNode(problems) }),

    setSave: (patch) => set(patch),
  };
});

export function editorCanvas(state: EditorState): Canvas {
  return { meta: state.meta, nodes: state.nodes, edges: state.edges };
}
