import type { AiQuota, AiUsage, AiUsageCounts } from '@parley/contract';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { cn } from '@/lib/cn';
import { formatPercent } from '@/lib/format';
import {
  currentMonth,
  dayTitle,
  formatCost,
  formatTokens,
  monthTitle,
  parseQuota,
  shiftMonth,
} from './usage-format';

const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openai_compatible: 'Own server',
};

function QuotaForm({ quota, onDone }: { quota: AiQuota; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState(quota.monthlyTokens === null ? '' : String(quota.monthlyTokens));
  const [problem, setProblem] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (tokens: number | null) => api.setAiQuota(tokens),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['ai-usage'] });
      toast.success(
        saved.monthlyTokens === null
          ? 'The AI blocks have no monthly limit now'
          : `The AI blocks may use ${formatTokens(saved.monthlyTokens)} tokens a month`,
      );
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseQuota(text);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return;
    }
    setProblem(undefined);
    save.mutate(parsed.tokens);
  };
  return (
    <form onSubmit={submit} noValidate className="mt-3 flex flex-col gap-2" aria-label="Monthly token quota">
      <Label htmlFor="ai-quota">Tokens per month (in and out, all AI blocks together)</Label>
      <div className="flex flex-wrap items-start gap-2">
        <Input
          id="ai-quota"
          inputMode="numeric"
          autoComplete="off"
          placeholder="No limit"
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={problem !== undefined}
          aria-describedby="ai-quota-help ai-quota-error"
          className="w-48"
        />
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending && <Spinner label="Saving" />}
          Save quota
        </Button>
        <Button type="button" size="sm" variant="outline" onClick={onDone}>
          Cancel
        </Button>
      </div>
      <p id="ai-quota-help" className="text-xs text-muted-foreground">
        Leave it empty for no limit. When a month’s tokens reach it, AI blocks leave by their Failure path
        until the month ends or you raise it.
      </p>
      <FieldError id="ai-quota-error" message={problem} />
      {save.isError && <FormAlert>The quota was not saved: {errorMessage(save.error)}</FormAlert>}
    </form>
  );
}

/** This month's tokens against the quota: a bar that warns at 80% and says what happens at 100%. */
function QuotaCard({ quota, isAdmin }: { quota: AiQuota; isAdmin: boolean }) {
  const [editing, setEditing] = useState(false);
  const share = quota.usedShare ?? 0;
  const until = dayTitle(quota.resetsAt);
  return (
    <Card className="p-4" data-testid="ai-quota" data-state={quota.state}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-sm font-semibold">This month’s tokens</h3>
        {isAdmin && !editing && (
          <Button size="sm" variant="outline" onClick={() => setEditing(true)}>
            {quota.monthlyTokens === null ? 'Set a monthly quota' : 'Change the quota'}
          </Button>
        )}
      </div>
      {quota.monthlyTokens === null ? (
        <p className="mt-1 text-sm">
          {formatTokens(quota.usedTokens)} tokens used. No monthly limit
          {isAdmin ? '.' : ': an admin can set one.'}
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm">
            <span className="font-medium">{formatTokens(quota.usedTokens)}</span> of{' '}
            {formatTokens(quota.monthlyTokens)} tokens used ({formatPercent(share)}); the count starts again
            on {until}.
          </p>
          <div
            role="progressbar"
            aria-label="Share of the monthly AI token quota used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.min(100, Math.round(share * 100))}
            className="mt-2 h-2.5 overflow-hidden rounded-full bg-slate-200"
          >
            <div
              className={cn(
                'h-full rounded-full',
                quota.state === 'reached'
                  ? 'bg-red-600'
                  : quota.state === 'warning'
                    ? 'bg-amber-500'
                    : 'bg-emerald-600',
              )}
              style={{ width: `${Math.min(100, share * 100)}%` }}
            />
          </div>
          {quota.state === 'warning' && (
            <p role="status" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              Over 80% of the quota is used. At 100%, AI blocks leave by their Failure path until {until}
              {isAdmin ? ', unless you raise the quota.' : ', unless an admin raises the quota.'}
            </p>
          )}
          {quota.state === 'reached' && (
            <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              The quota is used up: AI blocks now leave by Failure, and make no model calls, until {until}
              {isAdmin ? ' or until you raise the quota.' : ' or until an admin raises the quota.'}
            </p>
          )}
        </>
      )}
      {editing && <QuotaForm quota={quota} onDone={() => setEditing(false)} />}
    </Card>
  );
}

function Totals({ usage }: { usage: AiUsage }) {
  const { totals } = usage;
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-label="Totals">
      {[
        [
          'Model calls',
          formatTokens(totals.calls),
          totals.failedCalls > 0 ? `${formatTokens(totals.failedCalls)} failed` : '',
        ],
        ['Tokens in', formatTokens(totals.inputTokens), 'what the model read'],
        ['Tokens out', formatTokens(totals.outputTokens), 'what the model wrote'],
        [
          'Estimated cost',
          formatCost(totals.costUsd),
          totals.unpricedCalls === 0
            ? 'an estimate'
            : `an estimate; ${totals.unpricedCalls} call${totals.unpricedCalls === 1 ? '' : 's'} at an unknown price not included`,
        ],
      ].map(([title, value, note]) => (
        <Card key={title} className="p-3">
          <dt className="text-xs text-muted-foreground">{title}</dt>
          <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          {note && <dd className="text-xs text-muted-foreground">{note}</dd>}
        </Card>
      ))}
    </dl>
  );
}

function UsageTable({
  title,
  nameTitle,
  rows,
}: {
  title: string;
  nameTitle: string;
  rows: (AiUsageCounts & { key: string; name: string; detail?: string | undefined })[];
}) {
  return (
    <Card className="overflow-hidden">
      <table className="w-full text-sm" aria-label={title}>
        <caption className="border-b px-3 py-2 text-left text-sm font-semibold">{title}</caption>
        <thead className="whitespace-nowrap bg-muted/50 text-xs text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-1.5 text-left font-medium">
              {nameTitle}
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Calls
            </th>
            <th scope="col" className="px-2 py-1.5 text-right font-medium">
              Tokens
            </th>
            <th scope="col" className="px-3 py-1.5 text-right font-medium">
              Est. cost
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-t">
              <th scope="row" className="max-w-[40vw] px-3 py-1.5 text-left font-normal md:max-w-none">
                <span className="block truncate">{row.name}</span>
                {row.detail && <span className="block text-xs text-muted-foreground">{row.detail}</span>}
              </th>
              <td className="px-2 py-1.5 text-right tabular-nums">
                {formatTokens(row.calls)}
                {row.failedCalls > 0 && (
                  <span className="block whitespace-nowrap text-xs text-red-700">
                    {formatTokens(row.failedCalls)} failed
                  </span>
                )}
              </td>
              <td
                className="px-2 py-1.5 text-right tabular-nums"
                title={`${formatTokens(row.inputTokens)} in, ${formatTokens(row.outputTokens)} out`}
              >
                {formatTokens(row.inputTokens + row.outputTokens)}
              </td>
              <td className="px-3 py-1.5 text-right tabular-nums">
                {row.unpricedCalls > 0 && row.costUsd === 0 ? 'unknown' : formatCost(row.costUsd)}
                {row.unpricedCalls > 0 && row.costUsd > 0 && (
                  <span className="block text-xs text-muted-foreground">and some unknown</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/**
 * What the AI blocks used: this month's tokens against the quota (admins change it), and a month's
 * calls, tokens and estimated cost, by flow and by model.
 */
export function AiUsageSection() {
  const me = useSession((state) => state.me);
  const isAdmin = hasRole(me, 'admin');
  const thisMonth = currentMonth();
  const [month, setMonth] = useState(thisMonth);
  const usage = useQuery({
    queryKey: ['ai-usage', me?.workspaceId, month],
    queryFn: () => api.aiUsage(month),
    placeholderData: keepPreviousData,
  });
  const data = usage.data;
  return (
    <section aria-labelledby="ai-usage-title" className="mt-8 flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="ai-usage-title" className="text-base font-semibold">
          Usage
        </h2>
        <fieldset className="flex items-center gap-1" aria-label="Month">
          <Button
            size="icon"
            variant="ghost"
            aria-label="Previous month"
            onClick={() => setMonth(shiftMonth(month, -1))}
          >
            <ChevronLeft aria-hidden />
          </Button>
          <span className="min-w-32 text-center text-sm font-medium" data-testid="ai-usage-month">
            {monthTitle(month)}
          </span>
          <Button
            size="icon"
            variant="ghost"
            aria-label="Next month"
            disabled={month >= thisMonth}
            onClick={() => setMonth(shiftMonth(month, 1))}
          >
            <ChevronRight aria-hidden />
          </Button>
        </fieldset>
      </div>
      {data === undefined ? (
        usage.isError ? (
          <ErrorState
            title="AI usage could not be loaded"
            message={errorMessage(usage.error)}
            onRetry={() => void usage.refetch()}
          />
        ) : (
          <LoadingState label="Loading AI usage…" />
        )
      ) : (
        <>
          <QuotaCard quota={data.quota} isAdmin={isAdmin} />
          {/* The month before stays, dimmed, while the chosen one loads. */}
          <div
            className={cn('flex flex-col gap-4', usage.isPlaceholderData && 'opacity-60')}
            aria-busy={usage.isPlaceholderData}
          >
            <Totals usage={data} />
            <p className="text-xs text-muted-foreground">
              Costs are estimates from the providers’ list prices of {monthTitle(data.pricesAsOf)}; your
              provider’s invoice is the truth. Calls to your own server, and to models Parley has no price
              for, count their tokens but not a cost.
            </p>
            {data.totals.calls === 0 ? (
              <p className="rounded-md border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
                No AI calls in {monthTitle(data.month)}.
              </p>
            ) : (
              <div className="grid gap-4 lg:grid-cols-2">
                <UsageTable
                  title="By flow"
                  nameTitle="Flow"
                  rows={data.byFlow.map((row) => ({
                    ...row,
                    key: row.flowId ?? 'none',
                    name: row.flowName ?? 'Deleted or no flow',
                    detail:
                      row.flowName === null ? 'flows since deleted, or calls not made by a flow' : undefined,
                  }))}
                />
                <UsageTable
                  title="By model"
                  nameTitle="Model"
                  rows={data.byModel.map((row) => ({
                    ...row,
                    key: `${row.kind}/${row.model}`,
                    name: row.model,
                    detail: PROVIDER_NAMES[row.kind] ?? row.kind,
                  }))}
                />
              </div>
            )}
          </div>
          {usage.isError && <FormAlert>The month could not be loaded: {errorMessage(usage.error)}</FormAlert>}
        </>
      )}
    </section>
  );
}
