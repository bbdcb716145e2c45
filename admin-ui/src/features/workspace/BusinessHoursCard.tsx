import type { WorkspaceView } from '@parley/contract';
import {
  type BusinessHours,
  businessHoursProblems,
  closedNotice,
  DEFAULT_CLOSED_TEXT,
  type OpeningSpan,
  WEEKDAYS,
  type Weekday,
} from '@parley/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus, X } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const WORKDAY: OpeningSpan = { from: '09:00', to: '17:00' };

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every time zone the browser knows, each with its time now, so a person recognises theirs. */
function timeZoneOptions(current: string): { value: string; label: string }[] {
  const zones = Intl.supportedValuesOf('timeZone');
  const now = new Date();
  return [...new Set([current, ...zones])].sort().map((zone) => {
    let time = '';
    try {
      time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(
        now,
      );
    } catch (error) {
      // A zone saved elsewhere that this browser does not know: listed, without its time.
      if (!(error instanceof RangeError)) throw error;
    }
    return {
      value: zone,
      label: time === '' ? zone.replaceAll('_', ' ') : `${zone.replaceAll('_', ' ')} — ${time} now`,
    };
  });
}

/** The hours a workspace starts from when an admin turns them on: weekdays 09:00–17:00 here. */
const startingHours = (): BusinessHours => ({
  timeZone: browserTimeZone(),
  days: { mon: [WORKDAY], tue: [WORKDAY], wed: [WORKDAY], thu: [WORKDAY], fri: [WORKDAY] },
});

/**
 * What a contact reads when their hand-off starts outside the hours: at the next closed moment
 * from now (in half hours, over a week), as the contact would see it.
 */
function previewNotice(hours: BusinessHours): string | null {
  const start = Date.now();
  for (let step = 0; step < 7 * 48 + 1; step++) {
    const notice = closedNotice(hours, new Date(start + step * 30 * 60_000));
    if (notice !== null) return notice;
  }
  return null;
}

function hoursSummary(hours: BusinessHours): string[] {
  return WEEKDAYS.map((day) => {
    const spans = hours.days[day] ?? [];
    return `${DAY_NAMES[day]}: ${spans.length === 0 ? 'closed' : spans.map((s) => `${s.from}–${s.to}`).join(', ')}`;
  });
}

function DayRow({
  day,
  spans,
  problems,
  onChange,
}: {
  day: Weekday;
  spans: OpeningSpan[];
  problems: string[];
  onChange: (spans: OpeningSpan[]) => void;
}) {
  const open = spans.length > 0;
  const name = DAY_NAMES[day];
  const errorId = `hours-${day}-error`;
  const update = (index: number, change: Partial<OpeningSpan>) =>
    onChange(spans.map((span, i) => (i === index ? { ...span, ...change } : span)));
  return (
    <li className="flex flex-col gap-2 border-b py-3 last:border-b-0 sm:flex-row sm:items-start">
      <div className="flex w-36 shrink-0 items-center gap-2 pt-2">
        <Checkbox
          id={`hours-${day}`}
          checked={open}
          onCheckedChange={(checked) => onChange(checked === true ? [WORKDAY] : [])}
        />
        <Label htmlFor={`hours-${day}`}>{name}</Label>
      </div>
      <div className="flex flex-1 flex-col gap-2">
        {!open && <p className="pt-2 text-sm text-muted-foreground">Closed</p>}
        {spans.map((span, index) => (
          <div key={index} className="flex items-center gap-2">
            <Input
              type="time"
              aria-label={`${name} opens at`}
              className="min-w-0 flex-1 sm:w-32 sm:flex-none"
              value={span.from}
              aria-invalid={problems.length > 0 ? true : undefined}
              aria-describedby={problems.length > 0 ? errorId : undefined}
              onChange={(event) => update(index, { from: event.target.value })}
            />
            <span className="text-sm text-muted-foreground">to</span>
            <Input
              type="time"
              aria-label={`${name} closes at`}
              className="min-w-0 flex-1 sm:w-32 sm:flex-none"
              value={span.to}
              aria-invalid={problems.length > 0 ? true : undefined}
              aria-describedby={problems.length > 0 ? errorId : undefined}
              onChange={(event) => update(index, { to: event.target.value })}
            />
            {spans.length > 1 && (
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label={`Remove ${name} ${span.from}–${span.to}`}
                onClick={() => onChange(spans.filter((_, i) => i !== index))}
              >
                <X className="size-4" aria-hidden />
              </Button>
            )}
          </div>
        ))}
        {open && spans.length < 4 && (
          <Button
            type="button"
            variant="ghost"
            size="sm"
            className="self-start"
            onClick={() => {
              const last = spans[spans.length - 1];
              onChange([
                ...spans,
                last !== undefined && last.to < '22:00' ? { from: last.to, to: '23:00' } : WORKDAY,
              ]);
            }}
          >
            <Plus className="size-4" aria-hidden />
            Add hours after a break
          </Button>
        )}
        {problems.length > 0 && (
          <p id={errorId} className="text-xs text-destructive">
            {problems.join(' ')}
          </p>
        )}
      </div>
    </li>
  );
}

/** Business hours, for admins to change: days with opening times, a time zone, and what a contact is told. */
function HoursForm({ saved }: { saved: BusinessHours | null }) {
  const queryClient = useQueryClient();
  const [alwaysOpen, setAlwaysOpen] = useState(saved === null);
  const [hours, setHours] = useState<BusinessHours>(saved ?? startingHours());
  useEffect(() => {
    setAlwaysOpen(saved === null);
    setHours(saved ?? startingHours());
  }, [saved]);
  const zones = useMemo(() => timeZoneOptions(hours.timeZone), [hours.timeZone]);
  const problems = alwaysOpen ? [] : businessHoursProblems(hours);
  const problemsOf = (prefix: string) =>
    problems.filter((problem) => problem.pointer.startsWith(prefix)).map((problem) => problem.message);
  const preview = alwaysOpen || problems.length > 0 ? null : previewNotice(hours);
  const save = useMutation({
    mutationFn: () => api.setBusinessHours(alwaysOpen ? null : hours),
    onSuccess: (workspace) => {
      queryClient.setQueryData(['workspace'], workspace);
      toast.success(
        'Business hours saved',
        workspace.businessHours === null
          ? 'Hand-offs reach your team at any time.'
          : 'Outside these hours, contacts are told when someone will answer.',
      );
    },
  });
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <fieldset className="flex flex-col gap-2">
        <legend className="sr-only">When your team answers</legend>
        {[
          { value: true, title: 'Always open', help: 'Someone answers hand-offs at any time.' },
          {
            value: false,
            title: 'Opening hours',
            help: 'Outside them, contacts are told when someone will answer.',
          },
        ].map((option) => (
          <label
            key={option.title}
            className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-accent"
          >
            <input
              type="radio"
              name="business-hours-mode"
              className="mt-1"
              checked={alwaysOpen === option.value}
              onChange={() => setAlwaysOpen(option.value)}
            />
            <span>
              <span className="block text-sm font-medium">{option.title}</span>
              <span className="block text-xs text-muted-foreground">{option.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {!alwaysOpen && (
        <>
          <div className="flex flex-col gap-1.5">
            <Label id="business-hours-zone-label" htmlFor="business-hours-zone">
              Time zone
            </Label>
            <Select
              id="business-hours-zone"
              value={hours.timeZone}
              onValueChange={(timeZone) => setHours({ ...hours, timeZone })}
              options={zones}
              className="sm:max-w-sm"
              aria-invalid={problemsOf('/timeZone').length > 0 ? true : undefined}
            />
            <p className="text-xs text-muted-foreground">
              The opening times below are in this time zone. It starts as your computer’s.
            </p>
            {problemsOf('/timeZone').map((message) => (
              <p key={message} className="text-xs text-destructive">
                {message}
              </p>
            ))}
          </div>
          <div>
            <p className="text-sm font-medium">Days and times</p>
            <ul aria-label="Opening days and times">
              {WEEKDAYS.map((day) => (
                <DayRow
                  key={day}
                  day={day}
                  spans={hours.days[day] ?? []}
                  problems={problemsOf(`/days/${day}/`)}
                  onChange={(spans) => setHours({ ...hours, days: { ...hours.days, [day]: spans } })}
                />
              ))}
            </ul>
            {problemsOf('/days').length > 0 && problemsOf('/days/').length === 0 && (
              <p className="text-xs text-destructive">{problemsOf('/days').join(' ')}</p>
            )}
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="business-hours-closed-text">Message outside opening hours</Label>
            <Textarea
              id="business-hours-closed-text"
              maxLength={1000}
              placeholder={DEFAULT_CLOSED_TEXT}
              value={hours.closedText ?? ''}
              aria-describedby="business-hours-closed-help"
              onChange={(event) => {
                const { closedText: _, ...rest } = hours;
                setHours(event.target.value === '' ? rest : { ...rest, closedText: event.target.value });
              }}
            />
            <p id="business-hours-closed-help" className="text-xs text-muted-foreground">
              Leave it empty for the message shown in grey. Write {'{{opens_at}}'} where the time your team is
              back should go: it becomes a day and time such as “Monday at 09:00”, in the flow’s language.
            </p>
          </div>
          {preview !== null && (
            <section aria-label="What the contact reads" className="rounded-md bg-muted p-3">
              <p className="text-xs text-muted-foreground">
                A contact handed over at the next closed time reads:
              </p>
              <p className="mt-2 inline-block max-w-full whitespace-pre-wrap rounded-lg bg-card px-3 py-2 text-sm shadow-xs">
                {preview}
              </p>
            </section>
          )}
        </>
      )}
      {save.isError && <FormAlert>{errorMessage(save.error)}</FormAlert>}
      {problems.length > 0 && (
        <p className="text-xs text-muted-foreground">Fix what is marked in red above to save.</p>
      )}
      <div>
        <Button type="submit" disabled={save.isPending || problems.length > 0}>
          {save.isPending && <Spinner label="Saving" />}
          Save business hours
        </Button>
      </div>
    </form>
  );
}

/**
 * When the workspace's people answer hand-offs: admins change it, everyone else reads it. The
 * runtimes read the saved hours for each hand-off.
 */
export function BusinessHoursCard({ canChange }: { canChange: boolean }) {
  const workspace = useQuery<WorkspaceView>({ queryKey: ['workspace'], queryFn: api.workspace });
  return (
    <Card className="p-4 md:p-6" role="region" aria-labelledby="business-hours-title">
      <h2 id="business-hours-title" className="text-sm font-semibold">
        Business hours
      </h2>
      <p className="mb-4 mt-1 text-sm text-muted-foreground">
        When your team answers contacts that a flow hands over to a person.
      </p>
      {workspace.isPending ? (
        <LoadingState label="Loading the business hours" />
      ) : workspace.isError ? (
        <ErrorState message={errorMessage(workspace.error)} onRetry={() => workspace.refetch()} />
      ) : canChange ? (
        <HoursForm saved={workspace.data.businessHours} />
      ) : workspace.data.businessHours === null ? (
        <p className="text-sm">Always open: someone answers hand-offs at any time.</p>
      ) : (
        <>
          <p className="text-sm">In {workspace.data.businessHours.timeZone.replaceAll('_', ' ')} time:</p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {hoursSummary(workspace.data.businessHours).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="mt-3 text-xs text-muted-foreground">
            Only an admin of this workspace can change them.
          </p>
        </>
      )}
    </Card>
  );
}
