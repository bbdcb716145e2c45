import { type NodeType, nodeDefinition } from '@parley/schemas';
import { Handle, type NodeProps, Position } from '@xyflow/react';
import { AlertTriangle, XCircle } from 'lucide-react';
import { memo } from 'react';
import type { CanvasFlowNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { useOverlayStore } from '../overlay-store';
import { nodeUi } from './registry';

function AnalyticsStrip({ nodeId }: { nodeId: string }) {
  const funnel = useOverlayStore((state) => state.analytics?.get(nodeId));
  const on = useOverlayStore((state) => state.analytics !== null);
  if (!on) return null;
  const reached = funnel?.reached ?? 0;
  const answered = funnel?.answered ?? 0;
  const dropped = funnel?.droppedHere ?? 0;
  return (
    <div
      data-testid={`analytics-${nodeId}`}
      className="flex items-center gap-3 border-t bg-slate-50 px-3 py-1.5 text-[11px] text-slate-600"
    >
      <span>
        <strong className="text-slate-900">{reached}</strong> reached
      </span>
      <span>
        <strong className="text-slate-900">{answered}</strong> answered
      </span>
      <span className={dropped > 0 ? 'text-red-700' : undefined}>
        <strong>{dropped}</strong> dropped
      </span>
    </div>
  );
}

function ProblemBadge({ nodeId }: { nodeId: string }) {
  const problems = useEditorStore((state) => state.problemsByNode.get(nodeId));
  if (problems === undefined || problems.length === 0) return null;
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const label =
    errors > 0
      ? `${errors} error${errors === 1 ? '' : 's'}: ${problems[0]?.message ?? ''}`
      : `${problems.length} warning${problems.length === 1 ? '' : 's'}: ${problems[0]?.message ?? ''}`;
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-testid="problem-badge"
      data-severity={errors > 0 ? 'error' : 'warning'}
      className={cn(
        'ml-auto inline-flex items-center gap-1 rounded-full px-1.5 py-0.5 text-[11px] font-semibold',
        errors > 0 ? 'bg-red-100 text-red-700' : 'bg-amber-100 text-amber-800',
      )}
    >
      {errors > 0 ? (
        <XCircle className="size-3" aria-hidden />
      ) : (
        <AlertTriangle className="size-3" aria-hidden />
      )}
      {errors > 0 ? errors : problems.length}
    </span>
  );
}

/** A block on the canvas, for every node type: header, summary, and one labelled handle per outcome. */
function NodeCardView({ id, type, data, selected }: NodeProps<CanvasFlowNode>) {
  const definition = nodeDefinition(type as NodeType);
  const ui = nodeUi(type as NodeType);
  const Icon = ui.icon;
  const handles = definition.handles(data.config);
  const detail = ui.detail?.(data.config) ?? null;
  const single = handles.length === 1 && handles[0]?.id === 'next';
  const live = useOverlayStore((state) => state.liveNode === id);
  return (
    <div
      className={cn(
        'relative w-[260px] rounded-xl border bg-card text-left shadow-sm transition-shadow',
        selected ? 'border-primary' : 'hover:shadow-md',
        live && 'ring-4 ring-sky-400/70',
      )}
      data-testid={`block-${id}`}
      data-live={live ? 'true' : undefined}
    >
      {live && (
        <span className="absolute -top-3 right-3 rounded-full bg-sky-500 px-2 py-0.5 text-[10px] font-semibold text-white shadow">
          Live test is here
        </span>
      )}
      <Handle
        type="target"
        position={Position.Left}
        className="!left-[-7px]"
        aria-label={`Connect into ${definition.title} ${id}`}
      />
      <div className="flex items-center gap-2 border-b px-3 py-2">
        <span className={cn('flex size-6 items-center justify-center rounded-md', ui.accent)}>
          <Icon className="size-3.5" aria-hidden />
        </span>
        <span className="text-xs font-semibold text-slate-800">{definition.title}</span>
        {data.label && <span className="truncate text-[11px] text-muted-foreground">{data.label}</span>}
        <ProblemBadge nodeId={id} />
      </div>
      <div className="px-3 py-2.5">
        <p className="line-clamp-3 text-[13px] leading-snug text-slate-800 break-words">
          {ui.summary(data.config)}
        </p>
        {detail && <p className="mt-1 truncate text-xs text-muted-foreground">{detail}</p>}
      </div>
      <AnalyticsStrip nodeId={id} />
      {single ? (
        <Handle
          type="source"
          id="next"
          position={Position.Right}
          className="!right-[-7px]"
          aria-label={`Next, after ${id}`}
        />
      ) : (
        handles.length > 0 && (
          <ul className="border-t py-1">
            {handles.map((handle) => (
              <li
                key={handle.id}
                className="relative flex h-7 items-center justify-end px-3 text-xs text-slate-600"
              >
                <span className="truncate">{handle.label}</span>
                <Handle
                  type="source"
                  id={handle.id}
                  position={Position.Right}
                  className="!right-[-7px]"
                  aria-label={`${handle.label}, from ${id}`}
                />
              </li>
            ))}
          </ul>
        )
      )}
    </div>
  );
}

export const NodeCard = memo(NodeCardView);
