import { AlertTriangle, CheckCircle2, ChevronDown, ChevronUp, XCircle } from 'lucide-react';
import { useState } from 'react';
import type { LocatedProblem } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';

export function ProblemList({
  problems,
  onPick,
}: {
  problems: LocatedProblem[];
  onPick?: (problem: LocatedProblem) => void;
}) {
  return (
    <ul className="flex flex-col gap-1">
      {problems.map((problem, index) => {
        const Icon = problem.severity === 'error' ? XCircle : AlertTriangle;
        const body = (
          <>
            <Icon
              className={cn(
                'mt-0.5 size-3.5 shrink-0',
                problem.severity === 'error' ? 'text-destructive' : 'text-amber-600',
              )}
              aria-label={problem.severity === 'error' ? 'Error' : 'Warning'}
            />
            <span className="min-w-0">
              {problem.block && <span className="font-medium text-slate-800">{problem.block}: </span>}
              {problem.where && <span className="text-muted-foreground">{problem.where} — </span>}
              {problem.message}
            </span>
          </>
        );
        return (
          <li key={index}>
            {onPick && problem.nodeId ? (
              <button
                type="button"
                onClick={() => onPick(problem)}
                className="flex w-full items-start gap-2 rounded-md px-2 py-1.5 text-left text-xs hover:bg-muted"
              >
                {body}
              </button>
            ) : (
              <div className="flex items-start gap-2 px-2 py-1.5 text-xs">{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Errors and warnings of the whole flow; picking one selects and shows its block. */
export function ProblemsPanel() {
  const problems = useEditorStore((state) => state.problems);
  const select = useEditorStore((state) => state.select);
  const [open, setOpen] = useState(false);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const summary =
    problems.length === 0
      ? 'No problems'
      : [
          errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : null,
          warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : null,
        ]
          .filter(Boolean)
          .join(', ');
  return (
    <section
      aria-label="Problems"
      className="absolute left-4 top-4 z-10 w-[360px] max-w-[calc(100%-2rem)] rounded-lg border bg-card shadow-md"
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls="problems-list"
        disabled={problems.length === 0}
        onClick={() => setOpen(!open)}
        className="flex w-full items-center gap-2 px-3 py-2 text-sm font-medium disabled:cursor-default"
      >
        {errors > 0 ? (
          <XCircle className="size-4 text-destructive" aria-hidden />
        ) : warnings > 0 ? (
          <AlertTriangle className="size-4 text-amber-600" aria-hidden />
        ) : (
          <CheckCircle2 className="size-4 text-emerald-600" aria-hidden />
        )}
        <span data-testid="problems-summary">{summary}</span>
        {problems.length > 0 &&
          (open ? (
            <ChevronUp className="ml-auto size-4" aria-hidden />
          ) : (
            <ChevronDown className="ml-auto size-4" aria-hidden />
          ))}
      </button>
      {open && problems.length > 0 && (
        <div id="problems-list" className="max-h-64 overflow-y-auto border-t p-1">
          <ProblemList
            problems={problems}
            onPick={(problem) => problem.nodeId && select(problem.nodeId, true)}
          />
        </div>
      )}
    </section>
  );
}
