import type { ConversationDetail, Me } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, Bot, Hand, MoreVertical, UserMinus, UserRoundPlus, XCircle } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { formatDuration } from '@/lib/format';
import { AssignDialog } from './AssignDialog';
import { Composer } from './Composer';
import { HandBackDialog } from './HandBackDialog';
import { inboxKeys } from './queries';
import { Transcript } from './Transcript';
import { useNow } from './use-now';

/** An answer as people read it: a list joined, anything else that is not text as JSON. */
function answerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number'))
    return value.join(', ');
  return JSON.stringify(value);
}

function Values({ title, values }: { title: string; values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold text-slate-700">{title}</h3>
      {entries.length === 0 ? (
        <p className="text-xs text-muted-foreground">None.</p>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
          {entries.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="text-slate-500">{name}</dt>
              <dd className="break-words text-slate-900">{answerText(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

const isOpenHandoff = (conversation: ConversationDetail) =>
  conversation.status === 'handoff' && conversation.releasedAt === null;

/** Who may end or pass on an open hand-off: anyone while nobody holds it, then its holder, editors and admins. */
const mayAct = (conversation: ConversationDetail, me: Me) =>
  isOpenHandoff(conversation) &&
  (conversation.assignedTo === null || conversation.assignedTo.id === me.id || hasRole(me, 'editor'));

/** Marks the contact's messages read while the conversation is on screen and the tab is visible. */
function useMarkRead(conversation: ConversationDetail | undefined) {
  const queryClient = useQueryClient();
  const marked = useRef(0);
  const lastIn =
    conversation?.messages.findLast((message) => message.direction === 'in' && message.type !== 'control')
      ?.id ?? 0;
  const id = conversation?.id;
  useEffect(() => {
    if (id === undefined || lastIn === 0) return;
    const mark = () => {
      if (document.visibilityState !== 'visible' || lastIn <= marked.current) return;
      marked.current = lastIn;
      api
        .markRead(id, lastIn)
        .then(() => queryClient.invalidateQueries({ queryKey: inboxKeys.all }))
        // Left unread: the count stays until the next message or visit marks it.
        .catch(() => {
          marked.current = 0;
        });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [id, lastIn, queryClient]);
}

type OpenDialog = 'close' | 'handBack' | 'assign' | null;

function Header({
  conversation,
  me,
  onBack,
  onDialog,
}: {
  conversation: ConversationDetail;
  me: Me;
  onBack: string;
  onDialog: (dialog: OpenDialog) => void;
}) {
  const queryClient = useQueryClient();
  const now = useNow();
  const open = isOpenHandoff(conversation);
  const holder = conversation.assignedTo;
  const mine = holder?.id === me.id;
  const assign = useMutation({
    mutationFn: (userId: string | null) => api.setAssignee(conversation.id, userId),
    onSuccess: (_, userId) => {
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      if (userId === null) toast.success('Back in Waiting', 'Anyone in the team can take it now.');
    },
    onError: (error) => toast.error('Could not change who answers', errorMessage(error)),
  });
  const name = conversation.contactName ?? conversation.contact;
  const waited = conversation.handoffAt
    ? formatDuration((now - new Date(conversation.handoffAt).getTime()) / 1000)
    : null;

  return (
    <header className="flex items-center gap-2 border-b bg-card px-2 py-2 md:px-4">
      <Button asChild variant="ghost" size="icon" className="md:hidden" aria-label="Back to the list">
        <Link to={onBack}>
          <ArrowLeft aria-hidden />
        </Link>
      </Button>
      <div className="min-w-0 flex-1">
        <h2 className="flex items-center gap-2 truncate text-sm font-semibold">
          <span className="truncate">{name}</span>
          {conversation.isTest && <Badge variant="outline">Test</Badge>}
        </h2>
        <p className="truncate text-xs text-muted-foreground" data-testid="conversation-state">
          {conversation.contactName ? `${conversation.contact} · ` : ''}
          {conversation.flowName ?? 'Deleted flow'}
          {' · '}
          {!open
            ? conversation.status === 'handoff'
              ? 'Handed back to the bot'
              : 'With the bot'
            : holder
              ? mine
                ? 'You are answering'
                : `${holder.name} is answering`
              : `Waiting for ${waited}`}
        </p>
      </div>
      {open && !holder && (
        <Button size="sm" onClick={() => assign.mutate(me.id)} disabled={assign.isPending}>
          <Hand aria-hidden /> Take
        </Button>
      )}
      {mayAct(conversation, me) && (
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon" aria-label="More actions">
              <MoreVertical aria-hidden />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={() => onDialog('assign')}>
              <UserRoundPlus aria-hidden /> Assign to…
            </DropdownMenuItem>
            {holder && (mine || hasRole(me, 'editor')) && (
              <DropdownMenuItem onSelect={() => assign.mutate(null)}>
                <UserMinus aria-hidden /> Unassign (back to Waiting)
              </DropdownMenuItem>
            )}
            <DropdownMenuItem onSelect={() => onDialog('handBack')}>
              <Bot aria-hidden /> Hand back to the bot…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => onDialog('close')}>
              <XCircle aria-hidden /> Close hand-off
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      )}
    </header>
  );
}

/** Closing and handing back, asked in dialogs the header's menu and the side panel open. */
function HandoffDialogs({
  conversation,
  dialog,
  onDialog,
}: {
  conversation: ConversationDetail;
  dialog: OpenDialog;
  onDialog: (dialog: OpenDialog) => void;
}) {
  const queryClient = useQueryClient();
  const release = useMutation({
    mutationFn: () => api.releaseConversation(conversation.id),
    onSuccess: () => {
      onDialog(null);
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      toast.success('Hand-off closed', 'The contact’s next message starts the flow again.');
    },
    onError: (error) => toast.error('Could not close the hand-off', errorMessage(error)),
  });
  const toggle = (which: OpenDialog) => (open: boolean) => onDialog(open ? which : null);
  return (
    <>
      <ConfirmDialog
        open={dialog === 'close'}
        onOpenChange={toggle('close')}
        title="Close this hand-off?"
        description="The conversation leaves the inbox. The bot stays quiet until the contact writes again; their next message starts the flow from the beginning, as a new conversation."
        confirmLabel="Close hand-off"
        busy={release.isPending}
        onConfirm={() => release.mutate()}
      />
      <HandBackDialog
        conversation={conversation}
        open={dialog === 'handBack'}
        onOpenChange={toggle('handBack')}
      />
      <AssignDialog conversation={conversation} open={dialog === 'assign'} onOpenChange={toggle('assign')} />
    </>
  );
}

/** Who may write: the composer, or who holds the conversation (with Take over for editors and admins). */
function Footer({ conversation, me }: { conversation: ConversationDetail; me: Me }) {
  const queryClient = useQueryClient();
  const takeOver = useMutation({
    mutationFn: () => api.setAssignee(conversation.id, me.id),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
    },
    onError: (error) => toast.error('Could not take over', errorMessage(error)),
  });
  if (!isOpenHandoff(conversation)) {
    return (
      <p role="status" className="border-t bg-muted/60 px-4 py-3 text-center text-sm text-muted-foreground">
        {conversation.status === 'handoff'
          ? 'This hand-off is closed: the bot answers this contact again.'
          : 'The bot is handling this conversation. Nothing to answer here.'}
      </p>
    );
  }
  const holder = conversation.assignedTo;
  if (holder && holder.id !== me.id) {
    return (
      <div
        className="flex flex-wrap items-center justify-center gap-3 border-t bg-amber-50 px-4 py-3 text-sm text-amber-950"
        data-testid="held-by"
      >
        <p>
          <strong>{holder.name}</strong> is answering this conversation.
        </p>
        {hasRole(me, 'editor') && (
          <Button size="sm" variant="outline" disabled={takeOver.isPending} onClick={() => takeOver.mutate()}>
            Take over
          </Button>
        )}
      </div>
    );
  }
  return <Composer conversationId={conversation.id} />;
}

/** One conversation of the inbox: who it is, the transcript, the answers so far and the reply box. */
export function ConversationPane({ id, backTo }: { id: string; backTo: string }) {
  const me = useSession((state) => state.me);
  const conversation = useQuery({ queryKey: ['conversation', id], queryFn: () => api.conversation(id) });
  const [dialog, setDialog] = useState<OpenDialog>(null);
  useMarkRead(conversation.data);
  if (me === null) return null;
  if (conversation.isPending) return <LoadingState label="Opening the conversation…" />;
  if (conversation.isError)
    return (
      <ErrorState
        title="This conversation could not be opened"
        message={errorMessage(conversation.error)}
        onRetry={() => void conversation.refetch()}
      />
    );
  const data = conversation.data;
  return (
    <section
      aria-label={`Conversation with ${data.contactName ?? data.contact}`}
      className="flex min-h-0 flex-1"
    >
      <div className="flex min-w-0 flex-1 flex-col">
        <Header conversation={data} me={me} onBack={backTo} onDialog={setDialog} />
        <div className="min-h-0 flex-1 overflow-y-auto bg-[#efeae2] px-3 py-3 md:px-6">
          <details className="mb-3 rounded-md bg-white/90 p-2 text-xs shadow-sm xl:hidden">
            <summary className="cursor-pointer font-medium">Answers so far</summary>
            <div className="mt-2 flex flex-col gap-3">
              <Values title="Answers" values={data.answersByLabel} />
              <Values title="Variables" values={data.variables} />
            </div>
          </details>
          <Transcript messages={data.messages} notes={data.notes} truncated={data.truncated} />
        </div>
        <Footer conversation={data} me={me} />
      </div>
      <aside
        aria-label="What the contact answered"
        className="flex w-60 shrink-0 flex-col gap-4 overflow-y-auto border-l bg-card p-4 max-xl:hidden"
      >
        {mayAct(data, me) && (
          <div className="flex flex-col gap-2">
            <Button size="sm" variant="outline" onClick={() => setDialog('handBack')}>
              <Bot aria-hidden /> Hand back to the bot…
            </Button>
            <Button size="sm" variant="outline" onClick={() => setDialog('close')}>
              <XCircle aria-hidden /> Close hand-off
            </Button>
          </div>
        )}
        <Values title="Answers" values={data.answersByLabel} />
        <Values title="Variables" values={data.variables} />
      </aside>
      <HandoffDialogs conversation={data} dialog={dialog} onDialog={setDialog} />
    </section>
  );
}
