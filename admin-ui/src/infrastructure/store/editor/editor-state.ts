import type { StoreApi } from 'zustand';
import type { FlowMeta } from '@/core/canvas';
import type { DocumentSlice } from './document-slice';
import type { HistorySlice } from './history-slice';
import type { ProblemsSlice } from './problems-slice';
import type { SaveSlice } from './save-slice';
import type { SelectionSlice } from './selection-slice';

/** The flow open in the editor: the canvas, its undo history, selection, problems and save state. */
export type EditorState = DocumentSlice & HistorySlice & SelectionSlice & ProblemsSlice & SaveSlice;

export type SetEditor = StoreApi<EditorState>['setState'];
export type GetEditor = StoreApi<EditorState>['getState'];

/** The document as one undo step holds it. */
export interface Snapshot {
  meta: FlowMeta;
  nodes: EditorState['nodes'];
  edges: EditorState['edges'];
}
