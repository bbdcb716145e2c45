import { NODE_TYPES, type NodeType, nodeDefinitions } from '@parley/schemas';
import { useReactFlow } from '@xyflow/react';
import { GripVertical, PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { nodeUi } from '../nodes/registry';

export const PALETTE_MIME = 'application/x-parley-block';

const CATEGORIES = [
  { id: 'ask', title: 'Ask' },
  { id: 'say', title: 'Say' },
  { id: 'logic', title: 'Logic' },
  { id: 'integrate', title: 'Integrate' },
  { id: 'ai', title: 'AI' },
  { id: 'finish', title: 'Finish' },
] as const;

/**
 * The blocks an admin can add: drag one onto the canvas, or press it to add it below the selected
 * block, connected from its free outcome (in the middle when nothing is selected). Compact, only
 * the icons show; `onToggleCompact` offers a button to switch.
 */
export function Palette({
  compact = false,
  onToggleCompact,
}: {
  compact?: boolean;
  onToggleCompact?: (() => void) | undefined;
}) {
  const addNodeAfterSelection = useEditorStore((state) => state.addNodeAfterSelection);
  const select = useEditorStore((state) => state.select);
  const flow = useReactFlow();

  const addInView = (type: NodeType) => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    const center = pane
      ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 })
      : { x: 0, y: 0 };
    const jitter = (useEditorStore.getState().nodes.length % 5) * 24;
    const id = addNodeAfterSelection(type, { x: center.x - 130 + jitter, y: center.y - 50 + jitter });
    if (id) select(id);
  };

  return (
    <nav aria-label="Blocks" className="flex h-full flex-col overflow-y-auto border-r bg-card">
      <div className={cn('pb-2 pt-4', compact ? 'flex flex-col items-center gap-1 px-2' : 'px-4')}>
        <div className="flex items-center justify-between gap-2">
          <h2 className="text-sm font-semibold">Blocks</h2>
          {onToggleCompact && !compact && (
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Narrow the blocks panel"
              title="Narrow the blocks panel"
              onClick={onToggleCompact}
            >
              <PanelLeftClose aria-hidden />
            </Button>
          )}
        </div>
        {onToggleCompact && compact && (
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Widen the blocks panel"
            title="Widen the blocks panel"
            onClick={onToggleCompact}
          >
            <PanelLeftOpen aria-hidden />
          </Button>
        )}
        {!compact && (
          <p className="mt-0.5 text-xs text-muted-foreground">Drag onto the canvas, or click to add.</p>
        )}
      </div>
      {CATEGORIES.map((category) => {
        const types = NODE_TYPES.filter((type) => nodeDefinitions[type].category === category.id);
        if (types.length === 0) return null;
        return (
          <section
            key={category.id}
            aria-labelledby={`palette-${category.id}`}
            className={cn('py-2', compact ? 'px-2' : 'px-3')}
          >
            <h3
              id={`palette-${category.id}`}
              className={cn(
                'px-1 pb-1.5 text-[11px] font-semibold uppercase tracking-wide text-muted-foreground',
                compact && 'sr-only',
              )}
            >
              {category.title}
            </h3>
            <ul className="flex flex-col gap-1.5">
              {types.map((type) => {
                const definition = nodeDefinitions[type];
                const ui = nodeUi(type);
                const Icon = ui.icon;
                return (
                  <li key={type}>
                    <button
                      type="button"
                      draggable
                      data-block-type={type}
                      onDragStart={(event) => {
                        event.dataTransfer.setData(PALETTE_MIME, type);
                        event.dataTransfer.effectAllowed = 'copy';
                      }}
                      onClick={() => addInView(type)}
                      aria-label={`Add ${definition.title}: ${definition.description}`}
                      title={
                        compact ? `${definition.title}: ${definition.description}` : definition.description
                      }
                      className={cn(
                        'group flex w-full cursor-grab items-start gap-2.5 rounded-lg border bg-card text-left transition-colors hover:border-primary/40 hover:bg-accent/50 active:cursor-grabbing',
                        compact ? 'justify-center p-1.5' : 'px-2.5 py-2',
                      )}
                    >
                      <span
                        className={cn(
                          'mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-md',
                          ui.accent,
                        )}
                      >
                        <Icon className="size-4" aria-hidden />
                      </span>
                      {!compact && (
                        <>
                          <span className="min-w-0 flex-1">
                            <span className="block text-[13px] font-medium">{definition.title}</span>
                            <span className="line-clamp-2 block text-[11px] leading-snug text-muted-foreground">
                              {definition.description}
                            </span>
                          </span>
                          <GripVertical
                            className="mt-1 size-3.5 shrink-0 text-slate-300 group-hover:text-slate-400"
                            aria-hidden
                          />
                        </>
                      )}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
