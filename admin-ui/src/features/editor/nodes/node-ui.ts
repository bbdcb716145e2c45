import type { NodeConfigs, NodeType } from '@parley/schemas';
import type { LucideIcon } from 'lucide-react';
import type { ComponentType } from 'react';
import type { FieldSpec } from '../settings/schema-form';

/** A settings field the node type draws itself (its `ui:widget` is `own`). */
export type NodeWidget = ComponentType<{ spec: FieldSpec }>;

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
  /** The widgets of its settings fields whose `ui:widget` is `own`, by field name. */
  widgets?: Partial<Record<keyof NodeConfigs[T] & string, NodeWidget>>;
}

export function truncate(text: string, length = 90): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
