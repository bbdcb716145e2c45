import type { EditorState, GetEditor, SetEditor, Snapshot } from './editor-state';

const HISTORY_LIMIT = 100;
/** Typing in one field within this many ms is one undo step. */
const COALESCE_MS = 1500;

export interface HistorySlice {
  past: Snapshot[];
  future: Snapshot[];
  undo: () => void;
  redo: () => void;
}

/** How the other slices change the document: each change recorded for undo, then committed. */
export interface Edits {
  /** Records the state before a change (merging rapid edits of one field) and clears redo. */
  record: (coalesceKey?: string) => void;
  /** Applies a change to the document: a new revision, not saved yet. */
  commit: (patch: Partial<EditorState>) => void;
  /** A drag began: the state before it is the undo step, recorded when the drag ends. */
  dragStarted: () => void;
  /** Records the drag's undo step; false when no drag was under way. */
  dragEnded: () => boolean;
  /** Forgets a drag under way and the field being typed in (a flow was loaded). */
  reset: () => void;
}

function snapshotOf(state: EditorState): Snapshot {
  return { meta: state.meta, nodes: state.nodes, edges: state.edges };
}

export function createEdits(set: SetEditor, get: GetEditor): Edits {
  let dragStart: Snapshot | null = null;
  let lastEdit: { key: string; at: number } | null = null;
  const push = (snapshot: Snapshot) =>
    set({ past: [...get().past.slice(-(HISTORY_LIMIT - 1)), snapshot], future: [] });

  return {
    record: (coalesceKey) => {
      const now = Date.now();
      if (coalesceKey !== undefined && lastEdit?.key === coalesceKey && now - lastEdit.at < COALESCE_MS) {
        lastEdit = { key: coalesceKey, at: now };
        return;
      }
      lastEdit = coalesceKey === undefined ? null : { key: coalesceKey, at: now };
      push(snapshotOf(get()));
    },
    commit: (patch) =>
      set({
        ...patch,
        revision: get().revision + 1,
        saveStatus: get().saveStatus === 'conflict' ? 'conflict' : 'dirty',
      }),
    dragStarted: () => {
      if (dragStart === null) dragStart = snapshotOf(get());
    },
    dragEnded: () => {
      if (dragStart === null) return false;
      push(dragStart);
      dragStart = null;
      lastEdit = null;
      return true;
    },
    reset: () => {
      dragStart = null;
      lastEdit = null;
    },
  };
}

export function createHistorySlice(set: SetEditor, get: GetEditor, edits: Edits): HistorySlice {
  /** Puts a snapshot back, keeping what is selected now. */
  const restore = (target: Snapshot) => {
    const selected = new Set(
      get()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    );
    const nodes = target.nodes.map((node) =>
      Boolean(node.selected) === selected.has(node.id) ? node : { ...node, selected: selected.has(node.id) },
    );
    edits.reset();
    edits.commit({ meta: target.meta, nodes, edges: target.edges });
  };

  return {
    past: [],
    future: [],

    undo: () => {
      const { past, future, readOnly } = get();
      const previous = past.at(-1);
      if (readOnly || previous === undefined) return;
      set({ past: past.slice(0, -1), future: [...future, snapshotOf(get())] });
      restore(previous);
    },

    redo: () => {
      const { past, future, readOnly } = get();
      const next = future.at(-1);
      if (readOnly || next === undefined) return;
      set({ past: [...past, snapshotOf(get())], future: future.slice(0, -1) });
      restore(next);
    },
  };
}
