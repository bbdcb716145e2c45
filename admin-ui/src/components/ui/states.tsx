import { AlertCircle, Loader2 } from 'lucide-react';
import type * as React from 'react';
import { cn } from '@/lib/cn';
import { Button } from './button';

export function Spinner({ className, label = 'Loading' }: { className?: string; label?: string }) {
  return <Loader2 className={cn('size-4 animate-spin', className)} role="status" aria-label={label} />;
}

/** Shown while a screen's data loads. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="flex h-full min-h-40 items-center justify-center gap-2 text-sm text-muted-foreground">
      <Spinner label={label} />
      <span>{label}</span>
    </div>
  );
}

/** Shown when a screen could not load, in plain words, with a way to try again. */
export function ErrorState({
  title = 'Something went wrong',
  message,
  onRetry,
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
}) {
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center">
      <AlertCircle className="size-8 text-destructive" aria-hidden />
      <h2 className="text-base font-semibold">{title}</h2>
      <p className="text-sm text-muted-foreground">{message}</p>
      {onRetry && (
        <Button variant="outline" onClick={onRetry}>
          Try again
        </Button>
      )}
    </div>
  );
}

/** Shown when there is nothing yet, with what to do first. */
export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: React.ReactNode;
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center">
      {icon && <div className="rounded-full bg-accent p-3 text-primary [&_svg]:size-6">{icon}</div>}
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="text-sm text-muted-foreground">{children}</div>}
      {action}
    </div>
  );
}
