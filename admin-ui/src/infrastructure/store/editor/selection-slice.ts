import { type Clipboard, copySelection, pasteClipboard } from '@/core/canvas';
import type { GetEditor, SetEditor } from './editor-state';
import type { Edits } from './history-slice';

/** Paste again and the copies cascade by this much instead of stacking. */
const PASTE_OFFSET = 40;

export interface SelectionSlice {
  clipboard: Clipboard | null;
  /** A node the canvas should bring into view (problems list, search). */
  focus: { nodeId: string; at: number } | null;
  select: (nodeId: string | null, focus?: boolean) => void;
  copy: () => number;
  paste: () => number;
}

export function createSelectionSlice(set: SetEditor, get: GetEditor, edits: Edits): SelectionSlice {
  return {
    clipboard: null,
    focus: null,

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
      edits.record();
      const pasted = pasteClipboard(clipboard, { nodes, edges }, { x: PASTE_OFFSET, y: PASTE_OFFSET });
      set({
        clipboard: {
          nodes: clipboard.nodes.map((node) => ({
            ...node,
            position: { x: node.position.x + PASTE_OFFSET, y: node.position.y + PASTE_OFFSET },
          })),
          edges: clipboard.edges,
        },
      });
      edits.commit({
        nodes: [
          ...nodes.map((node) => (node.selected ? { ...node, selected: false } : node)),
          ...pasted.nodes,
        ],
        edges: [...edges, ...pasted.edges],
      });
      return pasted.nodes.length;
    },
  };
}
