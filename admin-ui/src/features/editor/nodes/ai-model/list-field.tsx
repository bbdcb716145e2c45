import { Plus, Trash2 } from 'lucide-react';
import type * as React from 'react';
import { get, useFormContext } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { useSettingsContext } from '../../settings/form-context';

/** A list setting edited row by row (tools, fields, categories): each change is one undo step. */
export function useListField<T>(name: string) {
  const { watch, formState } = useFormContext();
  const { patch, readOnly, nodeId } = useSettingsContext();
  const items = (watch(name) as T[] | undefined) ?? [];
  const commit = (next: T[]) => patch({ [name]: next.length === 0 ? undefined : next }, name);
  return {
    items,
    readOnly,
    nodeId,
    commit,
    edit: (index: number, changes: Partial<T>) =>
      commit(items.map((item, i) => (i === index ? { ...item, ...changes } : item))),
    remove: (index: number) => commit(items.filter((_, i) => i !== index)),
    /** The first problem at a path inside the list (`0.name`), or at the list itself (''). */
    errorAt: (path: string) =>
      (get(formState.errors, path === '' ? name : `${name}.${path}`) as { message?: string } | undefined)
        ?.message,
  };
}

/** One row of a list setting: its fields, a remove button, and its problems in words. */
export function ListRow({
  label,
  onRemove,
  removable,
  errors,
  children,
}: {
  label: string;
  onRemove: () => void;
  removable: boolean;
  errors: (string | undefined)[];
  children: React.ReactNode;
}) {
  const shown = [...new Set(errors.filter((error): error is string => error !== undefined))];
  return (
    <li className="flex flex-col gap-1.5 rounded-md border bg-muted/40 p-2">
      <div className="flex items-start gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1.5">{children}</div>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Remove ${label}`}
          disabled={!removable}
          onClick={onRemove}
        >
          <Trash2 aria-hidden />
        </Button>
      </div>
      {shown.map((error) => (
        <p key={error} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ))}
    </li>
  );
}

export function AddButton({
  onClick,
  disabled,
  children,
}: {
  onClick: () => void;
  disabled: boolean;
  children: React.ReactNode;
}) {
  return (
    <Button variant="outline" size="sm" className="self-start" disabled={disabled} onClick={onClick}>
      <Plus aria-hidden /> {children}
    </Button>
  );
}
