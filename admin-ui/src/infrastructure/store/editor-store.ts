import { create } from 'zustand';
import type { Canvas } from '@/core/canvas';
import { createDocumentSlice } from './editor/document-slice';
import type { EditorState } from './editor/editor-state';
import { createEdits, createHistorySlice } from './editor/history-slice';
import { createProblemsSlice } from './editor/problems-slice';
import { createSaveSlice } from './editor/save-slice';
import { createSelectionSlice } from './editor/selection-slice';

export type { EditorState } from './editor/editor-state';
export type { SaveStatus } from './editor/save-slice';

/** A store for the flow open in the editor, composed of its slices. */
export function createEditorStore() {
  return create<EditorState>((set, get) => {
    const edits = createEdits(set, get);
    return {
      ...createDocumentSlice(set, get, edits),
      ...createHistorySlice(set, get, edits),
      ...createSelectionSlice(set, get, edits),
      ...createProblemsSlice(set),
      ...createSaveSlice(set, get, edits),
    };
  });
}

/** The flow open in the editor: the canvas, its undo history, problems and save state. */
export const useEditorStore = createEditorStore();

export function editorCanvas(state: EditorState): Canvas {
  return { meta: state.meta, nodes: state.nodes, edges: state.edges };
}
