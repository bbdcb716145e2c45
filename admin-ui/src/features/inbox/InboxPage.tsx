import type { InboxItem, InboxView } from '@parley/contract';
import { useQuery } from '@tanstack/react-query';
import { Bell, BellOff, Headset, Inbox, WifiOff } from 'lucide-react';
import { useEffect } from 'react';
import { NavLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { reconnectInbox, useInboxStreamStatus } from '@/infrastructure/api/inbox-stream';
import { useSession } from '@/infrastructure/store';
import { cn } from '@/lib/cn';
import { formatDuration } from '@/lib/format';
import { useIsPhone } from '@/lib/use-is-phone';
import { ConversationPane } from './ConversationPane';
import { turnNotificationsOff, turnNotificationsOn, useNotificationsState } from './notifications';
import { inboxKeys } from './queries';
import { useNow } from './use-now';

const VIEWS: { value: InboxView; label: string; empty: string }[] = [
  { value: 'waiting', label: 'Waiting', empty: 'Nobody is waiting for a person right now.' },
  { value: 'mine', label: 'Mine', empty: 'You are not answering any conversation. Take one from Waiting.' },
  {
    value: 'all',
    label: 'All',
    empty: 'No open hand-offs. When a flow hands a contact to a person, it shows here.',
  },
];

const isView = (value: string | null): value is InboxView => VIEWS.some((view) => view.value === value);

const LAST_TIME = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });

function Row({
  item,
  view,
  now,
  selected,
  meId,
}: {
  item: InboxItem;
  view: InboxView;
  now: number;
  selected: boolean;
  meId: string | undefined;
}) {
  const waited = formatDuration((now - new Date(item.handoffAt).getTime()) / 1000);
  const last = item.lastMessage;
  return (
    <li>
      <NavLink
        to={`/inbox/${item.id}?view=${view}`}
        aria-current={selected ? 'page' : undefined}
        data-testid="inbox-item"
        className={cn(
          'flex flex-col gap-0.5 border-b px-4 py-3 text-sm hover:bg-muted/60',
          selected && 'bg-accent hover:bg-accent',
        )}
      >
        <span className="flex items-center gap-2">
          <span className={cn('min-w-0 flex-1 truncate', item.unread > 0 ? 'font-semibold' : 'font-medium')}>
            {item.contactName ?? item.contact}
          </span>
          {item.isTest && <Badge variant="outline">Test</Badge>}
          {last && (
            <span className="text-[11px] text-muted-foreground">{LAST_TIME.format(new Date(last.at))}</span>
          )}
        </span>
        <span className="flex items-center gap-2">
          <span className="min-w-0 flex-1 truncate text-xs text-muted-foreground">
            {last ? `${last.direction === 'out' ? 'Sent: ' : ''}${last.text}` : 'No messages yet'}
          </span>
          {item.unread > 0 && (
            <span
              className="min-w-5 rounded-full bg-emerald-600 px-1.5 py-0.5 text-center text-[11px] font-semibold leading-none text-white"
              data-testid="unread"
            >
              {item.unread}
              <span className="sr-only"> unread</span>
            </span>
          )}
        </span>
        <span className="flex items-center gap-2 text-[11px] text-muted-foreground">
          <span className="truncate">{item.flowName ?? 'Deleted flow'}</span>
          <span aria-hidden>·</span>
          <span className="shrink-0">
            {item.assignedTo === null
              ? `Waiting ${waited}`
              : item.assignedTo.id === meId
                ? 'You are answering'
                : `${item.assignedTo.name} is answering`}
          </span>
        </span>
      </NavLink>
    </li>
  );
}

function NotificationsButton() {
  const state = useNotificationsState();
  if (state === 'unsupported') return null;
  if (state === 'blocked')
    return (
      <p
        className="text-[11px] text-muted-foreground"
        title="Allow notifications for this site in the browser’s settings"
      >
        <BellOff className="mr-1 inline size-3.5" aria-hidden />
        Notifications are blocked by the browser
      </p>
    );
  if (state === 'on')
    return (
      <Button variant="ghost" size="sm" onClick={turnNotificationsOff} title="Stop desktop notifications">
        <Bell aria-hidden /> Notifications on
      </Button>
    );
  return (
    <Button
      variant="outline"
      size="sm"
      onClick={() =>
        void turnNotificationsOn().then((result) => {
          if (result === 'on')
            toast.success(
              'Notifications on',
              'You are told of new hand-offs and messages while Parley is in the background.',
            );
          else if (result === 'blocked')
            toast.error(
              'Notifications are blocked',
              'The browser refused them. Allow notifications for this site in the browser’s settings.',
            );
        })
      }
    >
      <Bell aria-hidden /> Turn on notifications
    </Button>
  );
}

function StreamNotice() {
  const { state, problem } = useInboxStreamStatus();
  if (state === 'retrying')
    return (
      <p role="status" className="border-b bg-amber-50 px-4 py-1.5 text-xs text-amber-900">
        Reconnecting to live updates…
      </p>
    );
  if (state !== 'lost') return null;
  return (
    <div role="alert" className="flex items-center gap-2 border-b bg-red-50 px-4 py-2 text-xs text-red-800">
      <WifiOff className="size-4 shrink-0" aria-hidden />
      <p className="flex-1">
        Live updates stopped{problem ? `: ${problem}` : '.'} Parley keeps trying; until then, new messages may
        not show.
      </p>
      <Button size="sm" variant="outline" onClick={reconnectInbox}>
        Try again
      </Button>
    </div>
  );
}

/** The hand-offs of the workspace: who waits, who answers whom, and each conversation to answer. */
export function InboxPage() {
  const me = useSession((state) => state.me);
  const { conversationId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const isPhone = useIsPhone();
  const now = useNow();
  const requested = search.get('view');
  const view: InboxView = isView(requested) ? requested : 'waiting';
  const list = useQuery({
    queryKey: inboxKeys.list(me?.workspaceId, view),
    queryFn: () => api.inbox(view),
  });
  const summary = useQuery({ queryKey: inboxKeys.summary(me?.workspaceId), queryFn: api.inboxSummary });
  const counts: Partial<Record<InboxView, number>> = summary.data
    ? { waiting: summary.data.waiting, mine: summary.data.mine }
    : {};
  const current = VIEWS.find((candidate) => candidate.value === view) ?? VIEWS[0];
  // A tab in the background shows in its title what waits: "(3) Inbox · Parley".
  const pending = (summary.data?.waiting ?? 0) + (summary.data?.unread ?? 0);
  useEffect(() => {
    document.title = pending > 0 ? `(${pending}) Inbox · Parley` : 'Inbox · Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [pending]);
  const backTo = `/inbox?view=${view}`;

  const listPane = (
    <div className="flex min-h-0 w-full shrink-0 flex-col border-r bg-card md:w-72 xl:w-80">
      <div className="flex flex-wrap items-center gap-2 border-b px-4 py-3">
        <h1 className="flex-1 text-lg font-semibold tracking-tight">Inbox</h1>
        <NotificationsButton />
      </div>
      <Tabs
        value={view}
        onValueChange={(next) =>
          navigate(conversationId ? `/inbox/${conversationId}?view=${next}` : `/inbox?view=${next}`)
        }
        className="border-b px-3 py-2"
      >
        <TabsList className="w-full">
          {VIEWS.map((option) => (
            <TabsTrigger key={option.value} value={option.value} className="flex-1">
              {option.label}
              {counts[option.value] ? (
                <span className="rounded-full bg-slate-200 px-1.5 text-[11px] text-slate-800">
                  {counts[option.value]}
                </span>
              ) : null}
            </TabsTrigger>
          ))}
        </TabsList>
      </Tabs>
      <StreamNotice />
      <div className="min-h-0 flex-1 overflow-y-auto">
        {list.isPending ? (
          <LoadingState label="Loading the inbox…" />
        ) : list.isError ? (
          <ErrorState
            title="The inbox could not be loaded"
            message={errorMessage(list.error)}
            onRetry={() => void list.refetch()}
          />
        ) : list.data.length === 0 ? (
          <EmptyState icon={<Inbox />} title="Nothing here">
            {current?.empty}
          </EmptyState>
        ) : (
          <ul aria-label={`${current?.label ?? ''} conversations`}>
            {list.data.map((item) => (
              <Row
                key={item.id}
                item={item}
                view={view}
                now={now}
                selected={item.id === conversationId}
                meId={me?.id}
              />
            ))}
          </ul>
        )}
      </div>
    </div>
  );

  if (isPhone) {
    return conversationId ? (
      <div className="flex min-h-0 flex-1 flex-col">
        <ConversationPane key={conversationId} id={conversationId} backTo={backTo} />
      </div>
    ) : (
      <div className="flex min-h-0 flex-1 flex-col">{listPane}</div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1">
      {listPane}
      <div className="flex min-w-0 flex-1 flex-col">
        {conversationId ? (
          <ConversationPane key={conversationId} id={conversationId} backTo={backTo} />
        ) : (
          <EmptyState icon={<Headset />} title="Pick a conversation">
            Contacts a flow handed to a person wait on the left, the longest waiting first. Open one to read
            it and answer.
          </EmptyState>
        )}
      </div>
    </div>
  );
}
