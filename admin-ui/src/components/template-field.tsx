import { Braces } from 'lucide-react';
import type * as React from 'react';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { FlowVariable } from '@/core/variables/flow-variables';
import {
  insertVariable,
  type OpenPlaceholder,
  openPlaceholder,
  searchVariables,
} from '@/core/variables/template-insert';
import { Button } from './ui/button';
import { Input } from './ui/input';
import { Textarea } from './ui/textarea';
import { optionId, useActiveOption, VariableListbox } from './variable-listbox';

type FieldElement = HTMLInputElement | HTMLTextAreaElement;

export interface TemplateFieldProps {
  id?: string;
  value: string;
  onChange: (text: string) => void;
  variables: readonly FlowVariable[];
  /** What the field is called, for the button: “Insert a variable in {name}”. */
  name: string;
  multiline?: boolean;
  /** Only an icon beside the field (rows with several fields); otherwise a labelled button below it. */
  compact?: boolean;
  placeholder?: string | undefined;
  disabled?: boolean;
  'aria-label'?: string;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
}

/**
 * A text that may hold `{{variable}}` placeholders. Typing `{{` lists the flow's variables under the
 * field (arrows, Enter, Escape, or the mouse); “Insert variable” opens the same list with a search box,
 * for people who do not know the braces. A pick puts `{{name}}` at the caret.
 */
export function TemplateField({
  value,
  onChange,
  variables,
  name,
  multiline,
  compact,
  disabled,
  ...fieldProps
}: TemplateFieldProps) {
  const listId = useId();
  const field = useRef<FieldElement>(null);
  const caretAfterPick = useRef<number | null>(null);
  // A `{{` being typed, unless Escape closed its list.
  const [typing, setTyping] = useState<OpenPlaceholder | null>(null);
  const [dismissed, setDismissed] = useState<number | null>(null);
  // The “Insert variable” list: the selection it replaces, and its search.
  const [inserting, setInserting] = useState<{ from: number; to: number } | null>(null);
  const [search, setSearch] = useState('');

  const open = inserting !== null || (typing !== null && typing.start !== dismissed);
  const shown = searchVariables(variables, inserting !== null ? search : (typing?.query ?? ''));
  const { active, setActive, onKey } = useActiveOption(shown.length);

  useLayoutEffect(() => {
    const caret = caretAfterPick.current;
    if (caret === null || field.current === null) return;
    caretAfterPick.current = null;
    field.current.focus();
    field.current.setSelectionRange(caret, caret);
  });

  const readCaret = (element: FieldElement) => {
    const found = openPlaceholder(element.value, element.selectionStart ?? element.value.length);
    setTyping((before) =>
      before?.start === found?.start && before?.query === found?.query ? before : found,
    );
    if (found?.start !== typing?.start) setActive(0);
    // Once that `{{` is gone, a new one in its place opens the list again.
    if (found === null) setDismissed(null);
  };

  const pick = (variable: FlowVariable) => {
    const range =
      inserting ??
      (typing === null ? null : { from: typing.start, to: field.current?.selectionStart ?? value.length });
    if (range === null) return;
    const next = insertVariable(value, range.from, range.to, variable.name);
    caretAfterPick.current = next.caret;
    setInserting(null);
    setTyping(null);
    onChange(next.text);
  };

  const close = () => {
    if (typing !== null) setDismissed(typing.start);
    if (inserting !== null) {
      setInserting(null);
      field.current?.focus();
    }
  };

  const onListKey = (event: React.KeyboardEvent) => {
    if (!open) return;
    if (onKey(event.key)) {
      event.preventDefault();
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      pick(shown[active] as FlowVariable);
    } else if (event.key === 'Escape') {
      // Closes the list only, not the settings panel around it.
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };

  const startInserting = () => {
    const element = field.current;
    const end = element?.selectionEnd ?? value.length;
    setInserting({ from: element?.selectionStart ?? end, to: end });
    setSearch('');
    setActive(0);
  };

  const common = {
    ...fieldProps,
    value,
    disabled,
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open && inserting === null && active >= 0 ? optionId(listId, active) : undefined,
    onChange: (event: React.ChangeEvent<FieldElement>) => {
      onChange(event.target.value);
      readCaret(event.target);
    },
    onSelect: (event: React.SyntheticEvent<FieldElement>) => readCaret(event.currentTarget),
    onKeyDown: onListKey,
    onBlur: () => setTyping(null),
  };

  const button = disabled ? null : (
    <Button
      variant="ghost"
      size={compact ? 'icon-sm' : 'sm'}
      className={compact ? 'shrink-0' : 'h-7 self-end px-2 text-xs text-muted-foreground'}
      aria-label={`Insert a variable in ${name}`}
      aria-expanded={inserting !== null}
      title="Insert a variable"
      // Keeps the field's selection, where the variable goes.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => (inserting === null ? startInserting() : close())}
    >
      <Braces aria-hidden /> {compact ? null : 'Insert variable'}
    </Button>
  );

  return (
    <div className="relative flex w-full flex-col gap-1">
      <div className="flex items-center gap-2">
        {multiline ? (
          <Textarea rows={3} ref={field as React.Ref<HTMLTextAreaElement>} {...common} />
        ) : (
          <Input autoComplete="off" ref={field as React.Ref<HTMLInputElement>} {...common} />
        )}
        {compact && button}
      </div>
      {!compact && button}
      {open && (
        <div className="absolute top-full right-0 left-0 z-50 -mt-1 min-w-64 rounded-md border bg-popover shadow-lg">
          {inserting !== null && (
            <div className="border-b p-1">
              <Input
                autoFocus
                role="combobox"
                aria-label="Search variables"
                aria-expanded
                aria-controls={listId}
                aria-autocomplete="list"
                aria-activedescendant={active >= 0 ? optionId(listId, active) : undefined}
                placeholder="Search by name or question"
                className="h-8 border-0 text-xs shadow-none focus-visible:ring-0"
                value={search}
                onChange={(event) => {
                  setSearch(event.target.value);
                  setActive(0);
                }}
                onKeyDown={onListKey}
                onBlur={() => setInserting(null)}
              />
            </div>
          )}
          <VariableListbox
            id={listId}
            label="Variables"
            variables={shown}
            active={active}
            onActive={setActive}
            onPick={pick}
            empty={
              variables.length === 0
                ? 'This flow has no variables yet. Ask a question first.'
                : 'No variable matches. Keep typing, or press Escape to close this list.'
            }
          />
        </div>
      )}
    </div>
  );
}
