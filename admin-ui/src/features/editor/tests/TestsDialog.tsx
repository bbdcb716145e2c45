import type { FlowTestBody, FlowTestSettings, TestRun } from '@parley/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FlaskConical, Play, Trash2, Upload } from 'lucide-react';
import { type ChangeEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-messages';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toast';
import { ApiError, api, errorMessage } from '@/infrastructure/api';
import { saveNow } from '../save/autosave';
import { runSummary, TestResults } from './TestResults';

const SCHEDULES = [
  { value: 'off', label: 'Never (only when run by hand)' },
  { value: '15', label: 'Every 15 minutes' },
  { value: '60', label: 'Every hour' },
  { value: '360', label: 'Every 6 hours' },
  { value: '1440', label: 'Every day' },
];

const WHY: Record<TestRun['reason'], string> = {
  manual: 'run by hand',
  schedule: 'on schedule',
  publish: 'before publishing',
};

const WHEN = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** A refusal's problems, one per line, each saying where ("turns 2: …") when the API named it. */
function refusal(error: unknown): string {
  const problems =
    error instanceof ApiError
      ? (error.details as { errors?: { pointer: string; message: string }[] } | null)
      : null;
  if (problems?.errors && problems.errors.length > 1)
    return problems.errors.map((problem) => problem.message).join(' ');
  return errorMessage(error);
}

/**
 * A flow's conversation tests: what each checks, running them on the draft, the latest runs, and
 * whether publishing waits for them and how often they run on the published version.
 */
export function TestsDialog({
  open,
  onOpenChange,
  flowId,
  canEdit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flowId: string;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const tests = useQuery({
    queryKey: ['flow-tests', flowId],
    queryFn: () => api.flowTests(flowId),
    enabled: open,
  });
  const runs = useQuery({
    queryKey: ['flow-test-runs', flowId],
    queryFn: () => api.testRuns(flowId),
    enabled: open,
  });
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<TestRun | null>(null);
  const [pasted, setPasted] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['flow-tests', flowId] }),
      queryClient.invalidateQueries({ queryKey: ['flow-test-runs', flowId] }),
    ]);

  const runNow = async () => {
    setRunning(true);
    try {
      await saveNow();
      setRun(await api.runFlowTests(flowId));
      await refresh();
    } catch (error) {
      toast.error('Could not run the tests', errorMessage(error));
    } finally {
      setRunning(false);
    }
  };

  const importText = async (text: string) => {
    setImportError(null);
    let scenario: FlowTestBody;
    try {
      scenario = JSON.parse(text);
    } catch {
      setImportError('This is not a test file: it is not valid JSON. Paste the whole file, from { to }.');
      return;
    }
    try {
      await api.addFlowTest(flowId, scenario);
      setPasted('');
      await refresh();
      toast.success('Test added', `“${scenario.name}” runs with the others.`);
    } catch (error) {
      setImportError(refusal(error));
    }
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file !== undefined) await importText(await file.text());
  };

  const remove = async (testId: string, name: string) => {
    try {
      await api.removeFlowTest(flowId, testId);
      await refresh();
      toast.success('Test deleted', `“${name}” no longer runs.`);
    } catch (error) {
      toast.error('Could not delete the test', errorMessage(error));
    }
  };

  const saveSettings = async (settings: FlowTestSettings) => {
    try {
      await api.setTestSettings(flowId, settings);
      await refresh();
    } catch (error) {
      toast.error('Could not save the test settings', errorMessage(error));
    }
  };

  const settings = tests.data?.settings;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] max-w-2xl overflow-y-auto">
        <DialogHeader>
          <DialogTitle>Conversation tests</DialogTitle>
          <DialogDescription>
            Each test replays a conversation through the real runtime, on a test contact (never on WhatsApp),
            and checks that the bot still answers the same way. Save one from the live test with “Save this
            conversation as a test”, or add a test file.
          </DialogDescription>
        </DialogHeader>
        {tests.isPending && <LoadingState label="Loading the tests…" />}
        {tests.isError && (
          <ErrorState
            title="The tests could not be loaded"
            message={errorMessage(tests.error)}
            onRetry={() => tests.refetch()}
          />
        )}
        {tests.data && settings && (
          <div className="flex flex-col gap-4">
            {tests.data.tests.length === 0 ? (
              <p className="rounded-md bg-muted px-3 py-2 text-sm">
                No tests yet. Open the live test, chat through the flow, then press “Save as test”.
              </p>
            ) : (
              <ul aria-label="Tests" className="flex flex-col gap-1">
                {tests.data.tests.map((test) => (
                  <li
                    key={test.id}
                    className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-muted/60"
                  >
                    <FlaskConical className="size-4 text-primary" aria-hidden />
                    <span className="min-w-0 flex-1 truncate">{test.name}</span>
                    <span className="text-xs text-muted-foreground">
                      {test.turns.length} message{test.turns.length === 1 ? '' : 's'}
                    </span>
                    {canEdit && (
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        aria-label={`Delete test ${test.name}`}
                        onClick={() => void remove(test.id, test.name)}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {canEdit && tests.data.tests.length > 0 && (
              <div className="flex flex-col gap-2">
                <Button className="self-start" onClick={() => void runNow()} disabled={running}>
                  {running ? <Spinner label="Running the tests" /> : <Play aria-hidden />}
                  {running ? 'Running the tests…' : 'Run the tests on the draft'}
                </Button>
                {run !== null && (
                  <div role="status" className="flex flex-col gap-2">
                    <p
                      className={
                        run.passed
                          ? 'text-sm font-medium text-emerald-700'
                          : 'text-sm font-medium text-red-700'
                      }
                    >
                      {runSummary(run)}.
                    </p>
                    <TestResults run={run} />
                  </div>
                )}
              </div>
            )}
            {canEdit && (
              <section
                aria-labelledby="tests-settings"
                className="flex flex-col gap-3 rounded-md border px-3 py-3"
              >
                <h3 id="tests-settings" className="text-sm font-medium">
                  When the tests run
                </h3>
                <div className="flex items-start gap-2">
                  <Checkbox
                    id="tests-gate"
                    checked={settings.mustPassToPublish}
                    onCheckedChange={(checked) =>
                      void saveSettings({ ...settings, mustPassToPublish: checked === true })
                    }
                  />
                  <Label htmlFor="tests-gate" className="text-sm font-normal leading-snug">
                    Tests must pass before publishing (publishing runs them on the draft first; a failure
                    publishes nothing)
                  </Label>
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label id="tests-schedule-label" htmlFor="tests-schedule">
                    Run them on the published version
                  </Label>
                  <Select
                    id="tests-schedule"
                    value={settings.everyMinutes === null ? 'off' : String(settings.everyMinutes)}
                    onValueChange={(value) =>
                      void saveSettings({ ...settings, everyMinutes: value === 'off' ? null : Number(value) })
                    }
                    options={
                      settings.everyMinutes === null ||
                      SCHEDULES.some((option) => option.value === String(settings.everyMinutes))
                        ? SCHEDULES
                        : [
                            ...SCHEDULES,
                            {
                              value: String(settings.everyMinutes),
                              label: `Every ${settings.everyMinutes} minutes`,
                            },
                          ]
                    }
                  />
                </div>
              </section>
            )}
            {!canEdit && (
              <p className="text-sm" data-testid="tests-settings-summary">
                {settings.mustPassToPublish
                  ? 'Publishing waits for these tests to pass.'
                  : 'Publishing does not wait for these tests.'}{' '}
                {settings.everyMinutes === null
                  ? 'They run only when someone runs them.'
                  : `They run every ${settings.everyMinutes} minutes on the published version.`}
              </p>
            )}
            {canEdit && (
              <details className="rounded-md border px-3 py-2 text-sm">
                <summary className="cursor-pointer">Add a test from a file</summary>
                <div className="mt-2 flex flex-col gap-2">
                  <p className="text-xs text-muted-foreground">
                    A <code>parley test</code> scenario file: its flow is ignored, the test runs against this
                    flow.
                  </p>
                  <Label htmlFor="tests-paste" className="sr-only">
                    Test file contents
                  </Label>
                  <Textarea
                    id="tests-paste"
                    rows={5}
                    value={pasted}
                    placeholder='{ "name": "…", "turns": [ … ], "result": { "status": "completed" } }'
                    onChange={(event) => setPasted(event.target.value)}
                    className="font-mono text-xs"
                  />
                  {importError !== null && <FormAlert>{importError}</FormAlert>}
                  <div className="flex gap-2">
                    <Button size="sm" onClick={() => void importText(pasted)} disabled={pasted.trim() === ''}>
                      Add this test
                    </Button>
                    <Button size="sm" variant="outline" asChild>
                      <label>
                        <Upload aria-hidden /> Choose a file…
                        <input
                          type="file"
                          accept="application/json,.json"
                          className="sr-only"
                          onChange={(event) => void importFile(event)}
                        />
                      </label>
                    </Button>
                  </div>
                </div>
              </details>
            )}
            <section aria-labelledby="tests-runs" className="flex flex-col gap-1.5">
              <h3 id="tests-runs" className="text-sm font-medium">
                Latest runs
              </h3>
              {runs.data === undefined || runs.data.length === 0 ? (
                <p className="text-sm text-muted-foreground">The tests have not run yet.</p>
              ) : (
                <ul aria-label="Latest runs" className="flex flex-col gap-1 text-sm">
                  {runs.data.slice(0, 8).map((past) => (
                    <li key={past.id}>
                      <details>
                        <summary className="cursor-pointer">
                          <span className={past.passed ? 'text-emerald-700' : 'text-red-700'}>
                            {past.passed ? 'Passed' : 'Failed'}
                          </span>{' '}
                          — {past.version === 'draft' ? 'the draft' : `version ${past.version}`},{' '}
                          {WHY[past.reason]}, {WHEN.format(new Date(past.startedAt))}
                        </summary>
                        <div className="mt-1.5">
                          <TestResults run={past} />
                        </div>
                      </details>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
