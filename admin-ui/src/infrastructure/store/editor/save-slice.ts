import type { Canvas } from '@/core/canvas';
import type { GetEditor, SetEditor } from './editor-state';
import type { Edits } from './history-slice';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

/** Which flow is open, whether it may be edited, and how its draft stands against the server's. */
export interface SaveSlice {
  flowId: string | null;
  readOnly: boolean;
  /** Bumped whenever a flow (or a version of it) is loaded. */
  loadId: number;
  etag: string | null;
  savedRevision: number;
  saveStatus: SaveStatus;
  saveError: string | null;
  load: (canvas: Canvas, options: { flowId: string; etag: string; readOnly: boolean }) => void;
  setReadOnly: (readOnly: boolean) => void;
  setSave: (patch: Partial<Pick<SaveSlice, 'etag' | 'savedRevision' | 'saveStatus' | 'saveError'>>) => void;
}

export function createSaveSlice(set: SetEditor, get: GetEditor, edits: Edits): SaveSlice {
  return {
    flowId: null,
    readOnly: true,
    loadId: 0,
    etag: null,
    savedRevision: 0,
    saveStatus: 'saved',
    saveError: null,

    load: (canvas, { flowId, etag, readOnly }) => {
      edits.reset();
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
        promptNamed: new Set(),
      });
    },

    setReadOnly: (readOnly) => set({ readOnly }),

    setSave: (patch) => set(patch),
  };
}
