import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** The editor's side panels an admin can fold away. */
export type FoldablePanel = 'palette' | 'settings' | 'live' | 'preview';

interface PanelState {
  folded: Record<FoldablePanel, boolean>;
  toggle: (panel: FoldablePanel) => void;
  unfold: (panel: FoldablePanel) => void;
}

/** Which panels are folded, remembered in this browser so the editor opens the way it was left. */
export const usePanels = create<PanelState>()(
  persist(
    (set) => ({
      folded: { palette: false, settings: false, live: false, preview: false },
      toggle: (panel) => set((state) => ({ folded: { ...state.folded, [panel]: !state.folded[panel] } })),
      unfold: (panel) => set((state) => ({ folded: { ...state.folded, [panel]: false } })),
    }),
    { name: 'parley.editor.panels', partialize: (state) => ({ folded: state.folded }) },
  ),
);
