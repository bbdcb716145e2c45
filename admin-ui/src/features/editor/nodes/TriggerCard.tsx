import { Handle, type NodeProps, Position } from '@xyflow/react';
import { PlayCircle, XCircle } from 'lucide-react';
import { memo } from 'react';
import { describeTrigger, TRIGGER_HANDLE, type TriggerNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';

/** A Start card: when a conversation begins (a keyword or any message), and where it goes. */
function TriggerCardView({ id, data, selected }: NodeProps<TriggerNode>) {
  const problems = useEditorStore((state) => state.problemsByNode.get(id));
  const error = problems?.find((problem) => problem.severity === 'error');
  return (
    <div
      className={cn(
        'w-[220px] rounded-xl border-2 border-emerald-300 bg-emerald-50 px-3 py-2.5 shadow-sm',
        selected && 'border-primary',
      )}
      data-testid={`trigger-${data.trigger.id}`}
    >
      <div className="flex items-center gap-2">
        <PlayCircle className="size-4 text-emerald-700" aria-hidden />
        <span className="text-xs font-semibold uppercase tracking-wide text-emerald-800">Start</span>
        {data.trigger.interrupt && <span className="text-[11px] text-emerald-700">· restarts chats</span>}
        {error && (
          <span
            role="img"
            className="ml-auto text-red-600"
            aria-label={`Error: ${error.message}`}
            title={error.message}
          >
            <XCircle className="size-4" aria-hidden />
          </span>
        )}
      </div>
      <p className="mt-1 line-clamp-2 text-[13px] text-slate-800">{describeTrigger(data.trigger)}</p>
      <Handle
        type="source"
        id={TRIGGER_HANDLE}
        position={Position.Right}
        className="!right-[-8px]"
        aria-label="Where conversations start"
      />
    </div>
  );
}

export const TriggerCard = memo(TriggerCardView);
