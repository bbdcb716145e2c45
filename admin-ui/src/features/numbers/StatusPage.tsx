import type { NumberStatus, RecentProblem } from '@parley/contract';
import { useQuery } from '@tanstack/react-query';
import { Activity, BellRing, CircleAlert, Phone } from 'lucide-react';
import { PageHeader } from '@/components/page-header';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { api } from '@/infrastructure/api';
import { formatWhen } from '@/lib/format';
import { ReasonText, StateBadge } from './NumbersPage';

/** How often the screen asks again: a status screen left open stays current. */
const REFRESH_MS = 10_000;

/** A count that is zero reads quietly; anything waiting stands out. */
function Waiting({ count, label, since }: { count: number; label: string; since?: string | null }) {
  return (
    <div className="flex flex-col">
      <span className={count === 0 ? 'text-muted-foreground' : 'font-semibold text-amber-700'}>{count}</span>
      <span className="text-xs text-muted-foreground">
        {label}
        {count > 0 && since ? `, oldest ${formatWhen(since)}` : ''}
      </span>
    </div>
  );
}

function NumberCard({ number }: { number: NumberStatus }) {
  return (
    <Card className="flex flex-col gap-3 p-4" aria-label={`Status of ${number.label ?? number.phone}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium">{number.label ?? number.phone}</p>
          {number.label !== null && <p className="text-xs text-muted-foreground">{number.phone}</p>}
        </div>
        <StateBadge state={number.state} hasSession={number.hasSession} />
      </div>
      <ReasonText state={number.state} reason={number.reason} />
      <p className="text-xs text-muted-foreground">
        {number.since === null ? 'No change recorded yet' : `Since ${formatWhen(number.since)}`}
        {' · '}
        {number.heldBy === null
          ? 'No runtime has taken this number yet'
          : `Held by runtime ${number.heldBy.runtime} since ${formatWhen(number.heldBy.since)}`}
      </p>
      <div className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Waiting count={number.inbox} label="messages to handle" />
        <Waiting count={number.outbox} label="replies to send" since={number.oldestWaitingSince} />
        <Waiting count={number.failedSends24h} label="failed sends (24 h)" />
        <Waiting count={number.callsInFlight} label="HTTP calls waiting" />
      </div>
    </Card>
  );
}

const PROBLEM_KINDS: Record<RecentProblem['kind'], string> = {
  send: 'Sending',
  connection: 'Connection',
  alert_notice: 'Alert notice',
};

function ProblemList({ problems }: { problems: RecentProblem[] }) {
  if (problems.length === 0) {
    return <p className="text-sm text-muted-foreground">No problems in the last 7 days.</p>;
  }
  return (
    <ul className="flex flex-col divide-y rounded-lg border bg-card">
      {problems.map((problem) => (
        <li
          key={`${problem.kind}-${problem.at}-${problem.numberId}`}
          className="flex gap-3 px-4 py-3 text-sm"
        >
          <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
          <div className="min-w-0">
            <p>{problem.message}</p>
            <p className="text-xs text-muted-foreground">
              {problem.kind === 'send' ? 'Sending' : 'Connection'} · {problem.phone} ·{' '}
              {formatWhen(problem.at)}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** For admins: how the numbers are running, what is waiting, and what went wrong lately. */
export function StatusPage() {
  const status = useQuery({ queryKey: ['status'], queryFn: api.status, refetchInterval: REFRESH_MS });
  return (
    <div className="flex flex-col">
      <PageHeader
        title="Status"
        description="How your WhatsApp numbers are running, what is waiting, and what went wrong lately."
      />
      <div className="flex flex-col gap-6 p-4 md:p-8">
        {status.isPending ? (
          <LoadingState label="Checking…" />
        ) : status.isError ? (
          <ErrorState
            title="Could not check the status"
            message="Parley could not read it. Try again in a moment."
            onRetry={() => status.refetch()}
          />
        ) : (
          <>
            <section aria-labelledby="status-numbers" className="flex flex-col gap-3">
              <h2 id="status-numbers" className="flex items-center gap-2 font-semibold">
                <Phone className="size-4" aria-hidden /> Numbers
              </h2>
              {status.data.numbers.length === 0 ? (
                <EmptyState icon={<Activity aria-hidden />} title="No WhatsApp numbers yet">
                  Add one on the Numbers page; its connection and queues show here.
                </EmptyState>
              ) : (
                status.data.numbers.map((number) => <NumberCard key={number.id} number={number} />)
              )}
            </section>
            <section aria-labelledby="status-alerts" className="flex flex-col gap-2">
              <h2 id="status-alerts" className="flex items-center gap-2 font-semibold">
                <BellRing className="size-4" aria-hidden /> Alerts
              </h2>
              <Card className="grid grid-cols-1 gap-3 p-4 text-sm sm:grid-cols-3">
                <Waiting count={status.data.alerts.open} label="open alerts" />
                <Waiting count={status.data.alerts.noticesPending} label="notices being retried" />
                <Waiting count={status.data.alerts.noticesFailed24h} label="notices not delivered (24 h)" />
              </Card>
            </section>
            <section aria-labelledby="status-problems" className="flex flex-col gap-3">
              <h2 id="status-problems" className="flex items-center gap-2 font-semibold">
                <CircleAlert className="size-4" aria-hidden /> Recent problems
              </h2>
              <ProblemList problems={status.data.recentProblems} />
            </section>
            <p className="text-xs text-muted-foreground">
              Checked {formatWhen(status.data.checkedAt)}; this page checks again every 10 seconds.
            </p>
          </>
        )}
      </div>
    </div>
  );
}
