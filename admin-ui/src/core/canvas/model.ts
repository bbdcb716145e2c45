import type {
  AnyMessageTrigger,
  Edge as FlowEdge,
  FlowNode,
  FlowSettings,
  KeywordTrigger,
  NodeConfigs,
  NodeType,
  Trigger,
} from '@parley/schemas';
import type { Edge, Node } from '@xyflow/react';

/** A block on the canvas: one node of the Flow Document, drawn by its type's component. */
/** A block on the canvas: its settings and, when the author named it, its label. */
export type CanvasFlowNode<T extends NodeType = NodeType> = Node<
  { config: NodeConfigs[T]; label?: string },
  T
>;

/** A trigger without its target (on the canvas, the target is where the Start card's edge leads). */
export type TriggerSettings = Omit<KeywordTrigger, 'target'> | Omit<AnyMessageTrigger, 'target'>;

/** A trigger on the canvas: a "Start" card whose one handle leads to the trigger's target. */
export type TriggerNode = Node<{ trigger: TriggerSettings }, 'trigger'>;

export type CanvasNode = CanvasFlowNode | TriggerNode;
export type CanvasEdge = Edge;

/** What the document holds besides its graph. */
export interface FlowMeta {
  name: string;
  settings?: FlowSettings;
}

/** The editor's working copy of a flow: what React Flow draws, plus the rest of the document. */
export interface Canvas {
  meta: FlowMeta;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export const TRIGGER_PREFIX = 'trigger:';
export const TRIGGER_HANDLE = 'start';

export function isTriggerNode(node: CanvasNode): node is TriggerNode {
  return node.type === 'trigger';
}

export function isFlowNode(node: CanvasNode): node is CanvasFlowNode {
  return node.type !== 'trigger';
}

export function triggerNodeId(triggerId: string): string {
  return `${TRIGGER_PREFIX}${triggerId}`;
}

export function triggerEdgeId(triggerId: string): string {
  return `${TRIGGER_PREFIX}${triggerId}->`;
}

export type { FlowEdge, FlowNode, Trigger };
