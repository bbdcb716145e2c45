import {
  EXPORT_FORMATS,
  type ExportFormat,
  type FlowAnalytics,
  RESPONSE_STATUS_FILTERS,
  type ResponseFilters,
  type ResponseStatusFilter,
} from '@parley/contract';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { BarChart3, Download, Inbox, Table2 } from 'lucide-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { CheckboxField, DayRangeFilter, FilterSelect, useDayRange } from '@/components/filters';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, download, errorMessage } from '@/infrastructure/api';
import { formatDateTime, formatDuration, formatPercent } from '@/lib/format';
import { HandoffAnalytics } from './HandoffAnalytics';
import { MaskingNote } from './MaskingNote';

const STATUS_FILTER_LABEL: Record<ResponseStatusFilter, string> = {
  completed: 'Completed',
  partial: 'Partial (unfinished)',
  all: 'All',
};
const FORMAT_LABEL: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'XLSX', ndjson: 'NDJSON' };

const ALL = 'all';

function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return value.map((item) => cell(item)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border bg-card px-4 py-3">
      <p className="text-xs text-muted-foreground">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight">{value}</p>
      {hint && <p className="text-xs text-muted-foreground">{hint}</p>}
    </div>
  );
}

function Analytics({ data }: { data: FlowAnalytics }) {
  const max = Math.max(1, ...data.nodes.map((node) => node.reached));
  return (
    <section aria-label="Analytics" className="flex flex-col gap-4">
      <div className="grid grid-cols-4 gap-3">
        <Stat label="Starts" value={String(data.starts)} />
        <Stat label="Completions" value={String(data.completions)} />
        <Stat label="Completion rate" value={formatPercent(data.completionRate)} />
        <Stat label="Median time to complete" value={formatDuration(data.medianSecondsToComplete)} />
      </div>
      <div className="relative overflow-x-auto rounded-lg border bg-card">
        <h2 className="border-b px-4 py-2.5 text-sm font-semibold">Drop-off by step</h2>
        {data.nodes.length === 0 ? (
          <p className="px-4 py-6 text-center text-sm text-muted-foreground">
            No conversations have reached any step yet.
          </p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-muted-foreground">
              <tr>
                <th className="px-4 py-2 font-medium">Step</th>
                <th className="w-[35%] px-4 py-2 font-medium">Reached</th>
                <th className="px-4 py-2 text-right font-medium">Answered</th>
                <th className="px-4 py-2 text-right font-medium">Dropped here</th>
                <th className="px-4 py-2 text-right font-medium">Waiting here</th>
              </tr>
            </thead>
            <tbody>
              {data.nodes.map((node) => (
                <tr key={node.nodeId} className="border-t" data-testid={`funnel-${node.nodeId}`}>
                  <td className="max-w-72 px-4 py-2">
                    <span className="block truncate">{node.name ?? 'A step no longer in this flow'}</span>
                  </td>
                  <td className="px-4 py-2">
                    <div className="flex items-center gap-2">
                      <div className="h-2 flex-1 rounded-full bg-muted">
                        <div
                          className="h-2 rounded-full bg-primary"
                          style={{ width: `${(node.reached / max) * 100}%` }}
                        />
                      </div>
                      <span className="w-8 text-right tabular-nums">{node.reached}</span>
                    </div>
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{node.answered}</td>
                  <td
                    className={`px-4 py-2 text-right tabular-nums ${node.droppedHere > 0 ? 'font-semibold text-red-700' : ''}`}
                  >
                    {node.droppedHere}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{node.waitingHere}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <HandoffAnalytics data={data.handoffs} />
    </section>
  );
}

/** A flow's answers as a table with filters and exports, and its completion funnel. */
export function ResponsesPage() {
  const [params, setParams] = useSearchParams();
  const flowId = params.get('flow') ?? '';
  const tab = params.get('tab') === 'analytics' ? 'analytics' : 'table';
  const [version, setVersion] = useState(ALL);
  const [status, setStatus] = useState<ResponseStatusFilter>('completed');
  const days = useDayRange();
  const [includeTest, setIncludeTest] = useState(false);
  const [maskPhone, setMaskPhone] = useState(false);
  const [choiceLabels, setChoiceLabels] = useState(false);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);

  // Deleted flows too: their answers stay readable and exportable.
  const flows = useQuery({
    queryKey: ['flows', 'all'],
    queryFn: async () => {
      const [live, deleted] = await Promise.all([api.listFlows(), api.listDeletedFlows()]);
      return [...live, ...deleted];
    },
  });
  const flow = flows.data?.find((item) => item.id === flowId);
  const filters: ResponseFilters = {
    status,
    includeTest,
    ...(version === ALL ? {} : { version: Number(version) }),
    ...days.range,
  };
  const responses = useInfiniteQuery({
    queryKey: ['responses', flowId, filters],
    queryFn: ({ pageParam }) => api.responses(flowId, filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: flowId !== '' && tab === 'table',
  });
  const { status: _status, ...analyticsFilters } = filters;
  const analytics = useQuery({
    queryKey: ['analytics', flowId, analyticsFilters],
    queryFn: () => api.analytics(flowId, analyticsFilters),
    enabled: flowId !== '' && tab === 'analytics',
  });

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(key);
    else next.set(key, value);
    setParams(next, { replace: true });
  };

  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      const name = await download(
        api.exportPath(flowId, filters, format, { maskPhone, choiceLabels }),
        `responses.${format === 'ndjson' ? 'ndjson' : format}`,
      );
      toast.success('Export ready', `${name} was downloaded.`);
    } catch (error) {
      toast.error('Could not export the responses', errorMessage(error));
    } finally {
      setExporting(null);
    }
  };

  const latest = flow?.publishedVersion ?? 0;
  const versions = Array.from({ length: latest }, (_, index) => latest - index);
  const columns = responses.data?.pages[0]?.columns ?? [];
  const rows = responses.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Responses"
        description="The answers people gave in your flows, ready to filter, export and analyse."
      />
      <div className="flex flex-col gap-4 px-4 py-4 md:px-8 md:py-5">
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex w-64 flex-col gap-1.5 max-md:w-full">
            <Label id="responses-flow-label" htmlFor="responses-flow">
              Flow
            </Label>
            {flows.isPending ? (
              <LoadingState label="Loading flows…" />
            ) : (
              <Select
                id="responses-flow"
                value={flowId || undefined}
                onValueChange={(value) => {
                  setVersion(ALL);
                  setParam('flow', value);
                }}
                options={(flows.data ?? []).map((item) => ({
                  value: item.id,
                  label: item.deletedAt === undefined ? item.name : `${item.name} (deleted)`,
                }))}
                placeholder="Choose a flow…"
              />
            )}
          </div>
          {flowId !== '' && (
            <>
              <FilterSelect
                id="responses-version"
                label="Version"
                className="w-36"
                value={version}
                onValueChange={setVersion}
                options={[
                  { value: ALL, label: 'All versions' },
                  ...versions.map((item) => ({ value: String(item), label: `Version ${item}` })),
                  ...(includeTest ? [{ value: '0', label: 'Drafts (tests)' }] : []),
                ]}
              />
              {tab === 'table' && (
                <FilterSelect
                  id="responses-status"
                  label="Status"
                  className="w-40"
                  value={status}
                  onValueChange={(value) => setStatus(value as ResponseStatusFilter)}
                  options={RESPONSE_STATUS_FILTERS.map((value) => ({
                    value,
                    label: STATUS_FILTER_LABEL[value],
                  }))}
                />
              )}
              <DayRangeFilter idPrefix="responses" days={days} inputClassName="w-40" />
              <CheckboxField label="Include test data" checked={includeTest} onChange={setIncludeTest} />
            </>
          )}
        </div>

        {flowId === '' ? (
          <EmptyState icon={<Inbox />} title="Choose a flow">
            Pick a flow above to see the answers it collected.
          </EmptyState>
        ) : (
          <>
            <div className="flex flex-wrap items-center gap-2 border-b pb-3">
              <div role="tablist" aria-label="View" className="flex gap-1 rounded-md bg-muted p-1">
                <Button
                  role="tab"
                  aria-selected={tab === 'table'}
                  size="sm"
                  variant={tab === 'table' ? 'outline' : 'ghost'}
                  onClick={() => setParam('tab', null)}
                >
                  <Table2 aria-hidden /> Answers
                </Button>
                <Button
                  role="tab"
                  aria-selected={tab === 'analytics'}
                  size="sm"
                  variant={tab === 'analytics' ? 'outline' : 'ghost'}
                  onClick={() => setParam('tab', 'analytics')}
                >
                  <BarChart3 aria-hidden /> Analytics
                </Button>
              </div>
              {tab === 'table' && (
                <div className="ml-auto flex flex-wrap items-center gap-2 *:shrink-0">
                  <CheckboxField
                    label="Choices as people saw them"
                    checked={choiceLabels}
                    onChange={setChoiceLabels}
                  />
                  <CheckboxField label="Mask personal data" checked={maskPhone} onChange={setMaskPhone} />
                  {EXPORT_FORMATS.map((format) => (
                    <Button
                      key={format}
                      size="sm"
                      variant="outline"
                      disabled={exporting !== null}
                      onClick={() => void exportAs(format)}
                    >
                      {exporting === format ? <Spinner label="Exporting" /> : <Download aria-hidden />}
                      {FORMAT_LABEL[format]}
                    </Button>
                  ))}
                </div>
              )}
            </div>
            {tab === 'table' && <MaskingNote masked={maskPhone} columns={columns} />}
            {tab === 'analytics' ? (
              analytics.isPending ? (
                <LoadingState label="Loading analytics…" />
              ) : analytics.isError ? (
                <ErrorState
                  title="Analytics could not be loaded"
                  message={errorMessage(analytics.error)}
                  onRetry={() => void analytics.refetch()}
                />
              ) : (
                <Analytics data={analytics.data} />
              )
            ) : responses.isPending ? (
              <LoadingState label="Loading responses…" />
            ) : responses.isError ? (
              <ErrorState
                title="Responses could not be loaded"
                message={errorMessage(responses.error)}
                onRetry={() => void responses.refetch()}
              />
            ) : rows.length === 0 ? (
              <EmptyState icon={<Inbox />} title="No responses match">
                {includeTest
                  ? 'Try other filters, or wait for people to answer.'
                  : 'Try other filters. Answers from the live test show with “Include test data”.'}
              </EmptyState>
            ) : (
              <>
                <div className="relative overflow-x-auto rounded-lg border bg-card">
                  <table className="w-full text-sm" aria-label="Responses">
                    <thead className="bg-muted/60 text-left text-xs text-muted-foreground">
                      <tr>
                        <th className="whitespace-nowrap px-3 py-2 font-medium">Contact</th>
                        {columns.map((column) => (
                          <th
                            key={column.variable}
                            className="whitespace-nowrap px-3 py-2 font-medium"
                            title={column.title}
                          >
                            {column.variable}
                          </th>
                        ))}
                        <th className="whitespace-nowrap px-3 py-2 font-medium">Status</th>
                        <th className="whitespace-nowrap px-3 py-2 font-medium">Version</th>
                        <th className="whitespace-nowrap px-3 py-2 font-medium">Completed</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((row) => (
                        <tr key={row.conversationId} className="border-t">
                          <td className="whitespace-nowrap px-3 py-2">
                            {row.contact}
                            {row.contactName && (
                              <span className="block text-xs text-muted-foreground">{row.contactName}</span>
                            )}
                          </td>
                          {columns.map((column) => (
                            <td key={column.variable} className="max-w-64 truncate px-3 py-2">
                              {cell(row.answers[column.variable])}
                            </td>
                          ))}
                          <td className="px-3 py-2">
                            <Badge variant={row.status === 'completed' ? 'success' : 'secondary'}>
                              {row.status}
                            </Badge>
                          </td>
                          <td className="px-3 py-2">{row.version === 0 ? 'Draft' : `v${row.version}`}</td>
                          <td className="whitespace-nowrap px-3 py-2 text-muted-foreground">
                            {formatDateTime(row.completedAt)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {responses.hasNextPage && (
                  <Button
                    variant="outline"
                    className="self-center"
                    disabled={responses.isFetchingNextPage}
                    onClick={() => void responses.fetchNextPage()}
                  >
                    {responses.isFetchingNextPage ? 'Loading…' : 'Load more'}
                  </Button>
                )}
              </>
            )}
          </>
        )}
      </div>
    </>
  );
}
