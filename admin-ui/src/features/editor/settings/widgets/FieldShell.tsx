import type * as React from 'react';
import { Label } from '@/components/ui/label';

export interface FieldShellProps {
  id: string;
  title: string;
  help?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  /** A group of controls: a legend instead of a label. */
  group?: boolean;
  children: React.ReactNode;
}

/** Label, control, help and error of one settings field, wired for screen readers. */
export function FieldShell({ id, title, help, error, required, group, children }: FieldShellProps) {
  const describedBy = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  if (group) {
    return (
      <fieldset className="flex flex-col gap-2" aria-describedby={describedBy || undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">{title}</legend>
        {help && (
          <p id={`${id}-help`} className="-mt-1 text-xs text-muted-foreground">
            {help}
          </p>
        )}
        {children}
        {error && (
          <p id={`${id}-error`} className="text-xs text-destructive">
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  return (
    <div className="flex flex-col gap-1.5">
      <Label id={`${id}-label`} htmlFor={id}>
        {title}
        {required && (
          <span className="ml-0.5 text-destructive" aria-hidden>
            *
          </span>
        )}
      </Label>
      {children}
      {help && !error && (
        <p id={`${id}-help`} className="text-xs text-muted-foreground">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

export function describedBy(
  id: string,
  help: string | undefined,
  error: string | undefined,
): string | undefined {
  const ids = [help && !error ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length === 0 ? undefined : ids.join(' ');
}
