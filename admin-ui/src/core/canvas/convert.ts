import { FLOW_SCHEMA_VERSION, type FlowDocument, type FlowNode, type Trigger } from '@parley/schemas';
import {
  type Canvas,
  type CanvasEdge,
  type CanvasFlowNode,
  type CanvasNode,
  isTriggerNode,
  TRIGGER_HANDLE,
  type TriggerNode,
  triggerEdgeId,
  triggerNodeId,
} from './model';

/** Where a trigger's card sits: left of the node it starts at (triggers have no stored position). */
export const TRIGGER_OFFSET = { x: -300, y: 0 };
const TRIGGER_SPACING = 120;
const GRID = { columns: 4, width: 320, height: 200 };

function nodePosition(node: FlowNode, index: number) {
  if (node.position) return { x: node.position.x, y: node.position.y };
  return { x: (index % GRID.columns) * GRID.width, y: Math.floor(index / GRID.columns) * GRID.height };
}

/**
 * The Flow Document as React Flow nodes and edges. Together with `canvasToDocument` this is the
 * only place where the canvas and the stored document meet.
 */
export function documentToCanvas(doc: FlowDocument): Canvas {
  const flowNodes: CanvasFlowNode[] = doc.nodes.map(
    (node, index) =>
      ({
        id: node.id,
        type: node.type,
        position: nodePosition(node, index),
        data: node.label === undefined ? { config: node.config } : { config: node.config, label: node.label },
      }) as CanvasFlowNode,
  );
  const positionOf = new Map(flowNodes.map((node) => [node.id, node.position]));
  const left = Math.min(0, ...flowNodes.map((node) => node.position.x));
  const top = Math.min(0, ...flowNodes.map((node) => node.position.y));
  const perTarget = new Map<string, number>();
  const triggers: TriggerNode[] = doc.triggers.map((trigger, index) => {
    const { target, ...rest } = trigger;
    const anchor = positionOf.get(target);
    const k = perTarget.get(target) ?? 0;
    perTarget.set(target, k + 1);
    const position =
      anchor === undefined
        ? { x: left + TRIGGER_OFFSET.x, y: top + index * TRIGGER_SPACING }
        : { x: anchor.x + TRIGGER_OFFSET.x, y: anchor.y + TRIGGER_OFFSET.y + k * TRIGGER_SPACING };
    return {
      id: triggerNodeId(trigger.id),
      type: 'trigger',
      position,
      data: { trigger: rest },
      deletable: true,
    };
  });
  const edges: CanvasEdge[] = [
    ...doc.triggers
      .filter((trigger) => trigger.target !== '')
      .map((trigger) => ({
        id: triggerEdgeId(trigger.id),
        source: triggerNodeId(trigger.id),
        sourceHandle: TRIGGER_HANDLE,
        target: trigger.target,
        className: 'trigger-edge',
      })),
    ...doc.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
    })),
  ];
  return {
    meta: { name: doc.name, ...(doc.settings === undefined ? {} : { settings: doc.settings }) },
    nodes: [...triggers, ...flowNodes],
    edges,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The canvas as a Flow Document: flowNodes in canvas order, triggers from the Start cards (their
 * target is where their edge leads, "" when it leads nowhere), edges without the trigger edges.
 */
export function canvasToDocument(canvas: Canvas): FlowDocument {
  const triggerTargets = new Map<string, string>();
  const edges: FlowDocument['edges'] = [];
  const triggerIds = new Set(canvas.nodes.filter(isTriggerNode).map((node) => node.id));
  for (const edge of canvas.edges) {
    if (triggerIds.has(edge.source)) {
      if (!triggerTargets.has(edge.source)) triggerTargets.set(edge.source, edge.target);
      continue;
    }
    edges.push({
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle ?? '',
      target: edge.target,
    });
  }
  const triggers: Trigger[] = [];
  const nodes: FlowNode[] = [];
  for (const node of canvas.nodes as CanvasNode[]) {
    if (isTriggerNode(node)) {
      triggers.push({ ...node.data.trigger, target: triggerTargets.get(node.id) ?? '' } as Trigger);
    } else {
      nodes.push({
        id: node.id,
        type: node.type,
        ...(node.data.label === undefined ? {} : { label: node.data.label }),
        position: { x: round(node.position.x), y: round(node.position.y) },
        config: node.data.config,
      } as FlowNode);
    }
  }
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    name: canvas.meta.name,
    ...(canvas.meta.settings === undefined ? {} : { settings: canvas.meta.settings }),
    triggers,
    nodes,
    edges,
  };
}
