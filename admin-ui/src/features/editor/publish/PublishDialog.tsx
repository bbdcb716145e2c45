import type { TestRun } from '@parley/contract';
import { diffFlows, type FlowChange, type FlowDocument, validateForPublish } from '@parley/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { Minus, Pencil, Plus, Rocket } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-messages';
import { ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { canvasToDocument, type LocatedProblem, locateProblems } from '@/core/canvas';
import { ApiError, api, errorMessage } from '@/infrastructure/api';
import { editorCanvas, useEditorStore } from '@/infrastructure/store/editor-store';
import { ProblemList } from '../problems/ProblemsPanel';
import { saveNow } from '../save/autosave';
import { TestResults } from '../tests/TestResults';

type Check =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'blocked'; errors: LocatedProblem[] }
  | { state: 'tests_failed'; message: string; run: TestRun }
  | { state: 'ready'; changes: FlowChange[] | null; warnings: LocatedProblem[]; document: FlowDocument };

function short(value: unknown): string | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

const KIND = {
  added: { icon: Plus, label: 'Added', variant: 'success' },
  removed: { icon: Minus, label: 'Removed', variant: 'destructive' },
  changed: { icon: Pencil, label: 'Changed', variant: 'warning' },
} as const;

function ChangeList({ changes }: { changes: FlowChange[] }) {
  if (changes.length === 0) {
    return (
      <p className="rounded-md bg-muted px-3 py-2 text-sm">
        Nothing changed since the published version (blocks may have moved).
      </p>
    );
  }
  return (
    <ul
      aria-label="Changes since the published version"
      className="flex max-h-72 flex-col gap-1 overflow-y-auto"
    >
      {changes.map((change, index) => {
        const kind = KIND[change.kind];
        const before = short(change.before);
        const after = short(change.after);
        const showValues =
          change.kind === 'changed' && (before !== null || after !== null) && change.entity !== 'edge';
        return (
          <li key={index} className="flex items-start gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-muted/60">
            <Badge variant={kind.variant} className="mt-0.5 w-20 justify-center">
              <kind.icon aria-hidden /> {kind.label}
            </Badge>
            <div className="min-w-0">
              <p>{change.description}</p>
              {showValues && (
                <p className="mt-0.5 truncate text-xs text-muted-foreground">
                  <span className="line-through">{before ?? '(none)'}</span> →{' '}
                  <span className="text-slate-800">{after ?? '(none)'}</span>
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** Saves, checks and shows what publishing changes; errors block it. */
export function PublishDialog({
  open,
  onOpenChange,
  flowId,
  publishedVersion,
  onPublished,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flowId: string;
  publishedVersion: number | null;
  onPublished: (version: number) => void;
}) {
  const [check, setCheck] = useState<Check>({ state: 'loading' });
  const [publishing, setPublishing] = useState(false);
  const select = useEditorStore((state) => state.select);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setCheck({ state: 'loading' });
    (async () => {
      const saved = await saveNow();
      const document = canvasToDocument(editorCanvas(useEditorStore.getState()));
      const { errors, warnings } = validateForPublish(document, useEditorStore.getState().validation);
      if (cancelled) return;
      if (!saved && useEditorStore.getState().saveStatus !== 'saved') {
        setCheck({
          state: 'failed',
          message:
            useEditorStore.getState().saveError ??
            'The draft could not be saved, so it cannot be published yet.',
        });
        return;
      }
      if (errors.length > 0) {
        setCheck({ state: 'blocked', errors: locateProblems(document, errors) });
        return;
      }
      let changes: FlowChange[] | null = null;
      if (publishedVersion !== null) {
        const published = await api.version(flowId, publishedVersion);
        changes = diffFlows(published.definition, document);
      }
      if (!cancelled)
        setCheck({ state: 'ready', changes, warnings: locateProblems(document, warnings), document });
    })().catch((error) => !cancelled && setCheck({ state: 'failed', message: errorMessage(error) }));
    return () => {
      cancelled = true;
    };
  }, [open, flowId, publishedVersion]);

  const queryClient = useQueryClient();
  const publish = async () => {
    setPublishing(true);
    try {
      const { version } = await api.publish(flowId);
      // The flows list shows each flow's status: it must not keep calling this one a draft.
      await queryClient.invalidateQueries({ queryKey: ['flows'] });
      // Published is not live: say so when no number answers with the flow yet, and what to do.
      // When the numbers cannot be read, the message says to check instead of claiming either way.
      const served = await api.listNumbers().then(
        (numbers) => numbers.some((number) => number.flow?.id === flowId),
        () => null,
      );
      toast.success(
        served === true ? `Version ${version} is live` : `Version ${version} is published`,
        served === true
          ? 'New conversations use it; running ones finish on their version.'
          : served === false
            ? 'Next step: connect a WhatsApp number to run it (Numbers, in the sidebar), and choose this flow for it.'
            : 'Check under Numbers that a WhatsApp number runs it.',
      );
      onPublished(version);
      onOpenChange(false);
    } catch (error) {
      const details =
        error instanceof ApiError
          ? (error.details as { errors?: { pointer: string; message: string }[] } | null)
          : null;
      const refused =
        error instanceof ApiError && error.code === 'tests_failed'
          ? (error.details as { run?: TestRun } | null)
          : null;
      if (refused?.run !== undefined) {
        setCheck({ state: 'tests_failed', message: errorMessage(error), run: refused.run });
      } else if (details?.errors && check.state === 'ready') {
        setCheck({
          state: 'blocked',
          errors: locateProblems(
            check.document,
            details.errors.map((problem) => ({ ...problem, severity: 'error' as const })),
          ),
        });
      } else {
        toast.error('Could not publish', errorMessage(error));
      }
    } finally {
      setPublishing(false);
    }
  };

  const next = (publishedVersion ?? 0) + 1;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Publish version {next}</DialogTitle>
          <DialogDescription>
            New conversations will use this version on every number running the flow. Conversations in
            progress finish on the version they started with.
          </DialogDescription>
        </DialogHeader>
        {check.state === 'loading' && <LoadingState label="Saving and checking the flow…" />}
        {check.state === 'failed' && <ErrorState title="Not ready to publish" message={check.message} />}
        {check.state === 'blocked' && (
          <div className="flex flex-col gap-2">
            <FormAlert>
              Fix {check.errors.length === 1 ? 'this error' : `these ${check.errors.length} errors`} before
              publishing:
            </FormAlert>
            <ProblemList
              problems={check.errors}
              onPick={(problem) => {
                if (problem.nodeId) select(problem.nodeId, true);
                onOpenChange(false);
              }}
            />
          </div>
        )}
        {check.state === 'tests_failed' && (
          <div className="flex flex-col gap-2">
            <FormAlert>{check.message}</FormAlert>
            <TestResults run={check.run} />
          </div>
        )}
        {check.state === 'ready' && (
          <div className="flex flex-col gap-3">
            {check.changes === null ? (
              <p className="rounded-md bg-accent px-3 py-2 text-sm text-accent-foreground">
                This is the first version of this flow: {check.document.nodes.length} block
                {check.document.nodes.length === 1 ? '' : 's'}, {check.document.triggers.length} start
                {check.document.triggers.length === 1 ? '' : 's'}.
              </p>
            ) : (
              <>
                <h3 className="text-sm font-medium">Changes since version {publishedVersion}</h3>
                <ChangeList changes={check.changes} />
              </>
            )}
            {check.warnings.length > 0 && (
              <details className="rounded-md border px-3 py-2 text-sm">
                <summary className="cursor-pointer">
                  {check.warnings.length} warning{check.warnings.length === 1 ? '' : 's'} (they do not block
                  publishing)
                </summary>
                <div className="mt-2">
                  <ProblemList problems={check.warnings} />
                </div>
              </details>
            )}
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button onClick={publish} disabled={check.state !== 'ready' || publishing}>
            {publishing ? <Spinner label="Publishing" /> : <Rocket aria-hidden />}
            Publish version {next}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
