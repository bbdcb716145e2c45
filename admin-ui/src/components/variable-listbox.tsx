import { useState } from 'react';
import type { FlowVariable } from '@/core/variables/flow-variables';
import { cn } from '@/lib/cn';

/** The DOM id of an option, for the field's aria-activedescendant. */
export const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

/**
 * Which option of a list is active (-1: none yet), moved with the arrow keys (Home and End stay the
 * text's). `onKey` handles the keys that move it and answers whether it did.
 */
export function useActiveOption(count: number) {
  const [active, setActive] = useState(0);
  const current = count === 0 ? -1 : Math.min(active, count - 1);
  const onKey = (key: string): boolean => {
    if (count === 0) return false;
    if (key === 'ArrowDown') setActive(current < 0 ? 0 : (current + 1) % count);
    else if (key === 'ArrowUp') setActive(current <= 0 ? count - 1 : current - 1);
    else return false;
    return true;
  };
  return { active: current, setActive, onKey };
}

/** The flow's variables to pick from, each with what it holds and where it comes from. */
export function VariableListbox({
  id,
  label,
  variables,
  active,
  onActive,
  onPick,
  empty,
  className,
}: {
  id: string;
  label: string;
  variables: readonly FlowVariable[];
  active: number;
  onActive: (index: number) => void;
  onPick: (variable: FlowVariable) => void;
  empty: string;
  className?: string;
}) {
  return (
    <div className={cn('max-h-60 overflow-y-auto p-1', className)}>
      <div id={id} role="listbox" aria-label={label}>
        {variables.map((variable, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the field's (arrows, Enter), not the option's
          <div
            key={variable.name}
            id={optionId(id, index)}
            role="option"
            // Focus stays in the field; the active option is its aria-activedescendant.
            tabIndex={-1}
            aria-selected={index === active}
            className={cn(
              'flex cursor-pointer flex-col gap-0.5 rounded-sm px-2 py-1.5',
              index === active && 'bg-muted',
            )}
            // The field keeps the focus (and its caret) while an option is clicked.
            onMouseDown={(event) => event.preventDefault()}
            onMouseMove={() => onActive(index)}
            onClick={() => onPick(variable)}
          >
            <span className="font-mono text-xs font-medium text-slate-900">{variable.name}</span>
            <span className="truncate text-[11px] text-muted-foreground">
              {variable.kind} · {variable.from}
            </span>
          </div>
        ))}
      </div>
      {variables.length === 0 && <p className="px-2 py-1.5 text-xs text-muted-foreground">{empty}</p>}
    </div>
  );
}
