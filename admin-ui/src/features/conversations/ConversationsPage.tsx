import {
  CONVERSATION_STATUSES,
  type ConversationFilters,
  type ConversationItem,
  type ConversationMessage,
  type ConversationStatus,
} from '@parley/contract';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MessagesSquare } from 'lucide-react';
import { useState } from 'react';
import { CheckboxField, DayRangeFilter, FilterSelect, useDayRange } from '@/components/filters';
import { PageHeader } from '@/components/page-header';
import { TranscriptNote } from '@/components/transcript-note';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { cn } from '@/lib/cn';
import { formatDateTime } from '@/lib/format';
import { placeNotes } from '@/lib/place-notes';

const ANY = 'any';
const STATUS_VARIANT: Record<ConversationStatus, 'success' | 'warning' | 'secondary' | 'destructive'> = {
  active: 'warning',
  completed: 'success',
  failed: 'destructive',
  handoff: 'warning',
  expired: 'secondary',
  abandoned: 'secondary',
};
const STATUS_LABEL: Record<ConversationStatus, string> = {
  active: 'Active',
  completed: 'Completed',
  failed: 'Failed',
  handoff: 'With a person',
  expired: 'Expired',
  abandoned: 'Abandoned',
};

/** A released hand-off keeps its status but no longer waits for a person. */
function statusBadge(conversation: Pick<ConversationItem, 'status' | 'releasedAt'>) {
  if (conversation.status === 'handoff' && conversation.releasedAt !== null)
    return <Badge variant="secondary">Handed back to the bot</Badge>;
  return <Badge variant={STATUS_VARIANT[conversation.status]}>{STATUS_LABEL[conversation.status]}</Badge>;
}

function messageText(message: ConversationMessage): string {
  const body = message.body;
  if (typeof body.text === 'string') {
    const choices = Array.isArray(body.choices) ? (body.choices as { label?: unknown }[]) : [];
    if (choices.length === 0) return body.text;
    return [body.text, ...choices.map((choice, index) => `${index + 1}. ${String(choice.label ?? '')}`)].join(
      '\n',
    );
  }
  if (typeof body.caption === 'string') return body.caption;
  return `[${message.type}]`;
}

/** An answer as people read it: a list of choices joined, anything else that is not text as JSON. */
function answerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.join(', ');
  return JSON.stringify(value);
}

function MessageLine({ message }: { message: ConversationMessage }) {
  return (
    <li className={cn('flex', message.direction === 'in' ? 'justify-start' : 'justify-end')}>
      <div
        className={cn(
          'max-w-[80%] rounded-lg px-3 py-1.5 text-[13px] shadow-sm',
          message.direction === 'in' ? 'bg-white' : 'bg-[#d9fdd3]',
        )}
      >
        <p className="whitespace-pre-wrap break-words">{messageText(message)}</p>
        <p className="mt-0.5 text-right text-[10px] text-slate-500">
          {formatDateTime(message.createdAt)} · {message.status}
          {message.error ? ` · ${message.error}` : ''}
        </p>
      </div>
    </li>
  );
}

function Transcript({ id, onClose }: { id: string; onClose: () => void }) {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const conversation = useQuery({ queryKey: ['conversation', id], queryFn: () => api.conversation(id) });
  const release = useMutation({
    mutationFn: () => api.releaseConversation(id),
    onSuccess: () => {
      toast.success('Handed back to the bot', 'The bot answers from the contact’s next message.');
      void queryClient.invalidateQueries({ queryKey: ['conversation', id] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
    onError: (error) => toast.error('Could not release the conversation', errorMessage(error)),
  });
  const data = conversation.data;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-3xl">
        <DialogHeader>
          <DialogTitle>Conversation with {data?.contact ?? '…'}</DialogTitle>
          <DialogDescription>
            {data
              ? `${data.flowName ?? 'Deleted flow'} · ${data.flowVersion === 0 ? 'draft (test)' : `version ${data.flowVersion}`} · started ${formatDateTime(data.startedAt)}`
              : 'Loading…'}
          </DialogDescription>
        </DialogHeader>
        {conversation.isPending ? (
          <LoadingState label="Loading the transcript…" />
        ) : conversation.isError ? (
          <ErrorState
            message={errorMessage(conversation.error)}
            onRetry={() => void conversation.refetch()}
          />
        ) : (
          <div className="grid grid-cols-[1fr_220px] gap-4">
            <ol
              aria-label="Transcript"
              className="flex max-h-[55vh] flex-col gap-1.5 overflow-y-auto rounded-md bg-[#efeae2] p-3"
            >
              {conversation.data.messages.length === 0 && (
                <li className="text-center text-xs text-slate-600">No messages.</li>
              )}
              {conversation.data.truncated && (
                <li role="status" className="text-center text-xs text-slate-600">
                  Showing the last {conversation.data.messages.length.toLocaleString()} of{' '}
                  {conversation.data.messageCount.toLocaleString()} messages; earlier ones are not shown.
                </li>
              )}
              {placeNotes(conversation.data.messages, conversation.data.notes).map((item) =>
                'note' in item ? (
                  <TranscriptNote key={`note-${item.note.id}`} note={item.note} />
                ) : (
                  <MessageLine key={item.message.id} message={item.message} />
                ),
              )}
            </ol>
            <div className="flex flex-col gap-3 text-xs">
              <div>
                <p className="mb-1 font-semibold">Status</p>
                {statusBadge(conversation.data)}
                {conversation.data.endReason && (
                  <p className="mt-1 text-muted-foreground">{conversation.data.endReason}</p>
                )}
                {conversation.data.currentStep && conversation.data.status !== 'completed' && (
                  <p className="mt-1" data-testid="current-step">
                    <span className="text-muted-foreground">
                      {conversation.data.endedAt === null ? 'Waiting at' : 'Stopped at'}:
                    </span>{' '}
                    {conversation.data.currentStep}
                  </p>
                )}
              </div>
              {conversation.data.status === 'handoff' &&
                conversation.data.releasedAt === null &&
                hasRole(me, 'agent') && (
                  <Button size="sm" onClick={() => release.mutate()} disabled={release.isPending}>
                    Hand back to the bot
                  </Button>
                )}
              {(['answersByLabel', 'variables'] as const).map((key) => (
                <section key={key} aria-label={key === 'variables' ? 'Variables' : 'Answers'}>
                  <p className="mb-1 font-semibold">{key === 'variables' ? 'Variables' : 'Answers'}</p>
                  {Object.keys(conversation.data[key]).length === 0 ? (
                    <p className="text-muted-foreground">None.</p>
                  ) : (
                    <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5">
                      {Object.entries(conversation.data[key]).map(([name, value]) => (
                        <div key={name} className="contents">
                          <dt className="font-mono text-slate-500">{name}</dt>
                          <dd className="truncate">{answerText(value)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </section>
              ))}
            </div>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** Conversations, newest first, with filters and each one's transcript. */
export function ConversationsPage() {
  const me = useSession((state) => state.me);
  const [numberId, setNumberId] = useState(ANY);
  const [flowId, setFlowId] = useState(ANY);
  const [status, setStatus] = useState(ANY);
  const days = useDayRange();
  const [includeTest, setIncludeTest] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const numbers = useQuery({ queryKey: ['numbers', me?.workspaceId], queryFn: api.listNumbers });
  const flows = useQuery({ queryKey: ['flows', me?.workspaceId, 'all'], queryFn: () => api.listFlows() });
  const filters: ConversationFilters = {
    includeTest,
    ...(numberId === ANY ? {} : { numberId }),
    ...(flowId === ANY ? {} : { flowId }),
    ...(status === ANY ? {} : { status: status as ConversationStatus }),
    ...days.range,
  };
  const list = useInfiniteQuery({
    queryKey: ['conversations', filters],
    queryFn: ({ pageParam }) => api.listConversations(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title="Conversations" description="Every conversation with your flows, newest first." />
      <div className="flex flex-col gap-4 px-4 py-4 md:px-8 md:py-5">
        <div className="flex flex-wrap items-end gap-3">
          <FilterSelect
            id="conv-number"
            label="Number"
            className="w-48"
            value={numberId}
            onValueChange={setNumberId}
            options={[
              { value: ANY, label: 'All numbers' },
              ...(numbers.data ?? [])
                .filter((number) => number.channel === 'whatsapp')
                .map((number) => ({ value: number.id, label: number.label ?? number.phone })),
            ]}
          />
          <FilterSelect
            id="conv-flow"
            label="Flow"
            className="w-48"
            value={flowId}
            onValueChange={setFlowId}
            options={[
              { value: ANY, label: 'All flows' },
              ...(flows.data ?? []).map((flow) => ({ value: flow.id, label: flow.name })),
            ]}
          />
          <FilterSelect
            id="conv-status"
            label="Status"
            className="w-40"
            value={status}
            onValueChange={setStatus}
            options={[
              { value: ANY, label: 'Any status' },
              ...CONVERSATION_STATUSES.map((value) => ({ value, label: STATUS_LABEL[value] })),
            ]}
          />
          <DayRangeFilter idPrefix="conv" days={days} inputClassName="w-36" />
          <CheckboxField label="Include test data" checked={includeTest} onChange={setIncludeTest} />
        </div>
        {list.isPending ? (
          <LoadingState label="Loading conversations…" />
        ) : list.isError ? (
          <ErrorState
            title="Conversations could not be loaded"
            message={errorMessage(list.error)}
            onRetry={() => void list.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState icon={<MessagesSquare />} title="No conversations match">
            {includeTest
              ? 'Try other filters.'
              : 'Try other filters. Live tests from the editor show with “Include test data”.'}
          </EmptyState>
        ) : (
          <>
            <div className="relative overflow-x-auto rounded-lg border bg-card max-md:whitespace-nowrap">
              <table className="w-full text-sm" aria-label="Conversations">
                <thead className="bg-muted/60 text-left text-xs text-muted-foreground">
                  <tr>
                    <th className="px-3 py-2 font-medium">Contact</th>
                    <th className="px-3 py-2 font-medium">Flow</th>
                    <th className="px-3 py-2 font-medium">Status</th>
                    <th className="px-3 py-2 font-medium">Started</th>
                    <th className="px-3 py-2 font-medium">Last activity</th>
                    <th className="px-3 py-2">
                      <span className="sr-only">Open</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id} className="border-t hover:bg-muted/40">
                      <td className="px-3 py-2">
                        {row.contact}
                        {row.contactName && (
                          <span className="block text-xs text-muted-foreground">{row.contactName}</span>
                        )}
                      </td>
                      <td className="px-3 py-2">
                        {row.flowName ?? '—'}{' '}
                        <span className="text-xs text-muted-foreground">
                          {row.flowVersion === 0 ? 'draft' : `v${row.flowVersion}`}
                        </span>
                        {row.isTest && (
                          <Badge variant="outline" className="ml-1">
                            Test
                          </Badge>
                        )}
                      </td>
                      <td className="px-3 py-2">{statusBadge(row)}</td>
                      <td className="px-3 py-2 text-muted-foreground">{formatDateTime(row.startedAt)}</td>
                      <td className="px-3 py-2 text-muted-foreground">{formatDateTime(row.updatedAt)}</td>
                      <td className="px-3 py-2 text-right">
                        <Button size="sm" variant="outline" onClick={() => setOpen(row.id)}>
                          Open transcript
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {list.hasNextPage && (
              <Button
                variant="outline"
                className="self-center"
                disabled={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            )}
          </>
        )}
      </div>
      {open !== null && <Transcript id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
