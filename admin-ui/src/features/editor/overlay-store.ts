import type { NodeFunnel } from '@parley/contract';
import { create } from 'zustand';

/** What is drawn over the canvas blocks: where the live test is, and the per-node analytics. */
export interface OverlayState {
  /** The node the live test's conversation is at (null: none, or the test is closed). */
  liveNode: string | null;
  /** Per-node numbers, by node id, when "Show analytics" is on. */
  analytics: Map<string, NodeFunnel> | null;
  setLiveNode: (nodeId: string | null) => void;
  setAnalytics: (nodes: NodeFunnel[] | null) => void;
}

export const useOverlayStore = create<OverlayState>((set) => ({
  liveNode: null,
  analytics: null,
  setLiveNode: (liveNode) => set({ liveNode }),
  setAnalytics: (nodes) =>
    set({ analytics: nodes === null ? null : new Map(nodes.map((n) => [n.nodeId, n])) }),
}));
