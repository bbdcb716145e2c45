import { cn } from '@/lib/cn';

/** A column of a table's header: its name, shown or for screen readers only (e.g. "Actions"). */
export type HeaderColumn = string | { label: string; hidden?: boolean; className?: string };

/** The header row every list table in the app shares. */
export function TableHeader({ columns }: { columns: HeaderColumn[] }) {
  return (
    <thead className="border-b bg-muted/50 text-left text-xs font-medium uppercase tracking-wide text-muted-foreground">
      <tr>
        {columns.map((column) => {
          const {
            label,
            hidden = false,
            className,
          } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" className={cn('px-4 py-3', !hidden && 'font-medium', className)}>
              {hidden ? <span className="sr-only">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
