import type { NodeConfigs, NodeType } from '@parley/schemas';
import type { LucideIcon } from 'lucide-react';

/** How one node type looks in the editor: its icon and colour, what its card says, which settings it hides. */
export interface NodeUi<T extends NodeType = NodeType> {
  icon: LucideIcon;
  /** Classes of the icon chip (background and text colour). */
  accent: string;
  /** The card's main line. */
  summary: (config: NodeConfigs[T]) => string;
  /** A secondary line (what is saved, where it goes). */
  detail?: (config: NodeConfigs[T]) => string | null;
  /** Settings not shown as their own field (managed by another widget). */
  hiddenFields?: (config: NodeConfigs[T]) => string[];
}

export function truncate(text: string, length = 90): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
