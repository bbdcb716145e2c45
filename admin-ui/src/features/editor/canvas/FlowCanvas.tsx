import { isNodeType } from '@parley/schemas';
import {
  Background,
  BackgroundVariant,
  Controls,
  type FinalConnectionState,
  MiniMap,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { MousePointerClick } from 'lucide-react';
import { type DragEvent, useCallback, useEffect, useRef } from 'react';
import type { CanvasNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { isPhoneScreen } from '@/lib/use-is-phone';
import { nodeTypes } from '../nodes/node-types';
import { PALETTE_MIME } from '../palette/Palette';
import { useEditorShortcuts } from './use-editor-shortcuts';
import { useKeepSelectionInView } from './use-keep-selection-in-view';

const MINIMAP_COLORS: Record<string, string> = {
  trigger: '#34d399',
  question: '#a78bfa',
  message: '#38bdf8',
  condition: '#fbbf24',
  end: '#10b981',
  handoff: '#fb7185',
};

const MINIMAP_MIN_CANVAS = 560;

const FIT = { padding: 0.2, maxZoom: 1 };
// A whole flow fitted into a phone's width is too small to read: a phone shows part of it, readable, to pan.
const PHONE_FIT = { ...FIT, minZoom: 0.6 };

/** The graph: blocks, Start cards and connections, edited by drag and drop. */
export function FlowCanvas() {
  const nodes = useEditorStore((state) => state.nodes);
  const edges = useEditorStore((state) => state.edges);
  const readOnly = useEditorStore((state) => state.readOnly);
  const onNodesChange = useEditorStore((state) => state.onNodesChange);
  const onEdgesChange = useEditorStore((state) => state.onEdgesChange);
  const onConnect = useEditorStore((state) => state.onConnect);
  const addNode = useEditorStore((state) => state.addNode);
  const focus = useEditorStore((state) => state.focus);
  const flow = useReactFlow();
  // Fit an existing flow into view once; an empty one keeps the plain viewport, so that the
  // first block dropped does not zoom the canvas under the admin's hands.
  const fitOnOpen = useRef(nodes.length > 0).current;
  const fitOptions = useRef(isPhoneScreen() ? PHONE_FIT : FIT).current;
  const frame = useRef<HTMLDivElement>(null);
  const width = useKeepSelectionInView(frame);
  useEditorShortcuts();

  useEffect(() => {
    if (focus === null) return;
    const node = flow.getNode(focus.nodeId);
    if (node === undefined) return;
    const width = node.measured?.width ?? 260;
    const height = node.measured?.height ?? 120;
    flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
      zoom: Math.max(flow.getZoom(), 0.9),
      duration: 300,
    });
  }, [focus, flow]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME);
      if (!isNodeType(type)) return;
      event.preventDefault();
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: position.x - 130, y: position.y - 40 });
    },
    [flow, addNode],
  );

  // Dropping a connection anywhere on a block (not only on its dot) connects to that block.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || state.fromNode === null || state.fromHandle === null) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (point === undefined) return;
      const element = document.elementFromPoint(point.clientX, point.clientY)?.closest('.react-flow__node');
      const targetId = element?.getAttribute('data-id');
      if (!targetId || targetId === state.fromNode.id) return;
      onConnect({
        source: state.fromNode.id,
        sourceHandle: state.fromHandle.id ?? null,
        target: targetId,
        targetHandle: null,
      });
    },
    [onConnect],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the drop target of palette drags; the keyboard way is pressing a palette block.
    <div ref={frame} className="relative h-full w-full" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<CanvasNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesFocusable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        selectionKeyCode="Shift"
        fitView={fitOnOpen}
        fitViewOptions={fitOptions}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > 200}
        defaultEdgeOptions={{ type: 'smoothstep', interactionWidth: 16 }}
        proOptions={{ hideAttribution: true }}
        aria-label="Flow canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        <Controls showInteractive={false} position="bottom-left" aria-label="Zoom controls" />
        {/* On a narrow canvas the overview would cover the blocks it shows. */}
        {width >= MINIMAP_MIN_CANVAS && (
          <MiniMap
            pannable
            zoomable
            position="bottom-right"
            style={{ width: 160, height: 110 }}
            ariaLabel="Overview of the flow"
            nodeColor={(node) => MINIMAP_COLORS[node.type ?? ''] ?? '#94a3b8'}
            nodeBorderRadius={6}
          />
        )}
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center">
          <div className="flex max-w-xs flex-col items-center gap-2 rounded-xl border border-dashed border-slate-300 bg-card/90 px-6 py-5 text-center shadow-sm">
            <MousePointerClick className="size-6 text-primary" aria-hidden />
            <p className="text-sm font-medium">This flow is empty</p>
            <p className="text-xs text-muted-foreground">
              {readOnly
                ? 'Nothing has been added yet.'
                : 'Drag a block from the left onto the canvas, or click one to add it. The first block gets a Start.'}
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
