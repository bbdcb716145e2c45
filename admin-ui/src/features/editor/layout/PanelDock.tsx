import type { LucideIcon } from 'lucide-react';
import { cn } from '@/lib/cn';
import { type FoldablePanel, usePanels } from './panel-store';

export interface DockItem {
  panel: FoldablePanel;
  /** What the panel is, in a sentence: "the block settings". */
  name: string;
  /** A word under the icon. */
  short: string;
  icon: LucideIcon;
}

/**
 * The strip at the editor's right edge with one button per open side panel: it folds the panel
 * away to give the canvas its width, and brings it back.
 */
export function PanelDock({ items }: { items: DockItem[] }) {
  const folded = usePanels((state) => state.folded);
  const toggle = usePanels((state) => state.toggle);
  if (items.length === 0) return null;
  return (
    <div
      role="toolbar"
      aria-label="Side panels"
      aria-orientation="vertical"
      className="flex w-14 shrink-0 flex-col items-center gap-1 border-l bg-card py-2"
    >
      {items.map(({ panel, name, short, icon: Icon }) => {
        const shown = !folded[panel];
        const label = `${shown ? 'Hide' : 'Show'} ${name}`;
        return (
          <button
            key={panel}
            type="button"
            aria-label={label}
            title={label}
            onClick={() => toggle(panel)}
            className={cn(
              'flex w-12 flex-col items-center gap-0.5 rounded-md py-1.5 text-[11px] font-medium hover:bg-muted',
              shown ? 'bg-accent text-accent-foreground hover:bg-accent' : 'text-slate-600',
            )}
          >
            <Icon className="size-4" aria-hidden />
            {short}
          </button>
        );
      })}
    </div>
  );
}
