import type { NodeConfigs, NodeType, OwnWidgetFields } from '@parley/schemas';
import type { LucideIcon } from 'lucide-react';
import type { ComponentType } from 'react';
import type { HelpTopic } from '@/components/learn-more';
import type { FieldSpec } from '../settings/schema-form';

/** A settings field the node type draws itself (its `ui:widget` is `own`). */
export type NodeWidget = ComponentType<{ spec: FieldSpec }>;

/** How one node type looks in the editor: its icon and colour, what its card says, which settings it hides. */
interface NodeLook<T extends NodeType> {
  icon: LucideIcon;
  /** Classes of the icon chip (background and text colour). */
  accent: string;
  /** The card's main line. */
  summary: (config: NodeConfigs[T]) => string;
  /** A secondary line (what is saved, where it goes). */
  detail?: (config: NodeConfigs[T]) => string | null;
  /** The help page that explains this block in depth, linked from its settings. */
  help?: HelpTopic;
  /** Settings not shown as their own field (managed by another widget). */
  hiddenFields?: (config: NodeConfigs[T]) => string[];
}

/** A widget for each settings field whose `ui:widget` is `own`: one missing does not compile. */
type OwnWidgets<T extends NodeType> = [OwnWidgetFields<T>] extends [never]
  ? { widgets?: undefined }
  : { widgets: Record<OwnWidgetFields<T>, NodeWidget> };

export type NodeUi<T extends NodeType> = NodeLook<T> & OwnWidgets<T>;

/** The editor module of any node type, for code that handles every node alike. */
export type AnyNodeUi = NodeLook<NodeType> & { widgets?: Partial<Record<string, NodeWidget>> };

export function truncate(text: string, length = 90): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
