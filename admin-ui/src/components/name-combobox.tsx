import type * as React from 'react';
import { useId, useState } from 'react';
import type { FlowVariable } from '@/core/variables/flow-variables';
import { searchVariables } from '@/core/variables/template-insert';
import { Input } from './ui/input';
import { optionId, useActiveOption, VariableListbox } from './variable-listbox';

export interface NameComboboxProps {
  id: string;
  value: string;
  onChange: (name: string) => void;
  /** Names already used in the flow, to pick one again. */
  names: readonly FlowVariable[];
  placeholder?: string | undefined;
  disabled?: boolean;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
}

/**
 * A variable name: typed new, or picked from the names the flow already uses (to update that value).
 * The list opens on focus and narrows as the name is typed.
 */
export function NameCombobox({ value, onChange, names, disabled, ...inputProps }: NameComboboxProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  // Until something is typed the whole list shows, even when the field already holds a name.
  const [typed, setTyped] = useState(false);
  const shown = searchVariables(names, typed ? value : '');
  const { active, setActive, onKey } = useActiveOption(shown.length);
  const expanded = open && names.length > 0;

  const pick = (variable: FlowVariable) => {
    onChange(variable.name);
    setOpen(false);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (!expanded) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setOpen(true);
      }
      return;
    }
    if (onKey(event.key)) {
      event.preventDefault();
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      pick(shown[active] as FlowVariable);
    } else if (event.key === 'Escape') {
      // Closes the list only, not the settings panel around it.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <div className="relative">
      <Input
        {...inputProps}
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={expanded ? listId : undefined}
        aria-activedescendant={expanded && active >= 0 ? optionId(listId, active) : undefined}
        value={value}
        disabled={disabled}
        onFocus={() => {
          setTyped(false);
          setOpen(true);
          setActive(-1);
        }}
        onBlur={() => setOpen(false)}
        onChange={(event) => {
          onChange(event.target.value);
          setTyped(true);
          setOpen(true);
          // Nothing is picked until an arrow key says so: Enter keeps a new name as typed.
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
      />
      {expanded && (
        <div className="absolute top-full right-0 left-0 z-50 mt-1 rounded-md border bg-popover shadow-lg">
          <p className="border-b px-3 py-1.5 text-[11px] text-muted-foreground">
            Pick a name to update that value, or type a new one.
          </p>
          <VariableListbox
            id={listId}
            label="Names in this flow"
            variables={shown}
            active={active}
            onActive={setActive}
            onPick={pick}
            empty="A new name: it is created when this block runs."
          />
        </div>
      )}
    </div>
  );
}
