import type {
  BotChoice,
  BotMessage,
  ConversationDetail,
  ConversationMessage,
  Problem,
  SimulatorReply,
  TurnNote,
} from '@parley/contract';
import { useQueryClient } from '@tanstack/react-query';
import { FlaskConical, Info, MessageCircle, RotateCcw, Send, X } from 'lucide-react';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { ApiError, api, errorMessage, newIdempotencyKey } from '@/infrastructure/api';
import { useInboxActivity } from '@/infrastructure/api/inbox-stream';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { mediaFileName } from '@/lib/media-name';
import { readBase64 } from '@/lib/read-base64';
import { useOverlayStore } from '../overlay-store';
import { saveNow } from '../save/autosave';
import { AttachmentBar, LocationForm, type Outgoing, outgoingText } from './attachments';

interface ChatEntry extends BotMessage {
  key: number;
  direction: 'in' | 'out';
  at: string;
  /** The person who wrote it from the inbox; absent for the bot's and the contact's messages. */
  agent?: string;
}

/** A line for the admin between the bubbles: what happened that the contact does not see. */
interface NoteEntry {
  key: number;
  note: TurnNote;
}

type Entry = ChatEntry | NoteEntry;

const isNote = (entry: Entry): entry is NoteEntry => 'note' in entry;

/** The reply's messages with its notes put where they happened. */
function replyEntries(reply: SimulatorReply, nextKey: () => number): Entry[] {
  const at = new Date().toISOString();
  const notesAt = (count: number): Entry[] =>
    reply.notes.filter((note) => note.after === count).map((note) => ({ key: nextKey(), note }));
  return [
    ...notesAt(0),
    ...reply.messages.flatMap((bot, index) => [
      { ...bot, key: nextKey(), direction: 'out' as const, at },
      ...notesAt(index + 1),
    ]),
  ];
}

/** Notes that only say what happened (a tool the model called): muted, not a warning. */
const INFORMATIVE: ReadonlySet<TurnNote['kind']> = new Set(['ai_tool_call', 'ai_retried']);

function NoteLine({ note, onShow }: { note: TurnNote; onShow: (nodeId: string) => void }) {
  const informative = INFORMATIVE.has(note.kind);
  return (
    <li className="my-1 flex justify-center" data-testid="live-note" data-kind={note.kind}>
      <p
        className={cn(
          'flex max-w-[92%] items-start gap-1.5 rounded-md border px-2.5 py-1.5 text-[12px] leading-snug shadow-sm',
          informative
            ? 'border-slate-300/70 bg-slate-50/95 text-slate-700'
            : 'border-amber-200 bg-amber-50/95 text-amber-950',
        )}
      >
        <Info
          className={cn('mt-0.5 size-3.5 shrink-0', informative ? 'text-slate-500' : 'text-amber-700')}
          aria-hidden
        />
        <span>
          <span className="sr-only">Note for you: </span>
          {note.text}{' '}
          <button
            type="button"
            onClick={() => onShow(note.nodeId)}
            className={cn(
              'cursor-pointer font-medium underline underline-offset-2',
              informative ? 'text-slate-700 hover:text-slate-950' : 'text-amber-800 hover:text-amber-950',
            )}
          >
            Show the block
          </button>
        </span>
      </p>
    </li>
  );
}

type Status = SimulatorReply['status'];

/**
 * A message the test conversation got outside the contact's turns: an agent's reply from the inbox,
 * or the bot's after the agent handed the conversation back. Null for anything else.
 */
function inboxEntry(message: ConversationMessage, key: number): ChatEntry | null {
  if (message.direction !== 'out' || message.type === 'control') return null;
  const body = message.body;
  const media = body.media as { url?: unknown; name?: unknown } | undefined;
  const lines = [
    typeof body.text === 'string' ? body.text : '',
    media ? `File: ${mediaFileName(media)}` : '',
  ].filter((line) => line !== '');
  const choices = Array.isArray(body.choices) ? (body.choices as BotChoice[]) : undefined;
  return {
    key,
    direction: 'out',
    text: lines.join('\n'),
    at: message.createdAt,
    ...(choices ? { choices } : {}),
    ...(message.agent ? { agent: message.agent.name } : {}),
  };
}

/** The conversation so far as a conversation test: each message sent and what the bot answered. */
function recordedTest(entries: Entry[], status: Status, answers: Record<string, unknown>) {
  const turns: { user: string; bot: { text: string; choices?: string[] }[] }[] = [];
  for (const entry of entries) {
    if (isNote(entry)) continue;
    if (entry.direction === 'in') {
      turns.push({ user: entry.text, bot: [] });
      continue;
    }
    const labels = (entry.choices ?? []).map((choice) => choice.label);
    turns.at(-1)?.bot.push(labels.length > 0 ? { text: entry.text, choices: labels } : { text: entry.text });
  }
  return { turns, result: { status, answers } };
}

const STATUS: Record<
  Status,
  { label: string; variant: 'success' | 'warning' | 'secondary' | 'destructive' }
> = {
  none: { label: 'Not started', variant: 'secondary' },
  active: { label: 'Waiting for a reply', variant: 'warning' },
  completed: { label: 'Completed', variant: 'success' },
  failed: { label: 'Failed', variant: 'destructive' },
  handoff: { label: 'Handed off to a person', variant: 'warning' },
  expired: { label: 'Expired', variant: 'secondary' },
  abandoned: { label: 'Abandoned', variant: 'secondary' },
};

const TIME = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The keywords that start the flow, to suggest a first message. */
function useStartWords(): string[] {
  return useEditorStore(
    useShallow((state) => {
      const words: string[] = [];
      for (const node of state.nodes) {
        if (node.type !== 'trigger') continue;
        const trigger = (node.data as { trigger: { type: string; keywords?: string[] } }).trigger;
        if (trigger.type === 'keyword') words.push(...(trigger.keywords ?? []).slice(0, 2));
      }
      return words.slice(0, 3);
    }),
  );
}

function Bubble({
  entry,
  interactive,
  onPick,
}: {
  entry: ChatEntry;
  interactive: boolean;
  onPick: (text: string) => void;
}) {
  const mine = entry.direction === 'in';
  const choices = entry.choices ?? [];
  const poll = entry.render === 'poll' && choices.length > 0;
  return (
    <li className={cn('flex', mine ? 'justify-end' : 'justify-start')} data-testid="chat-bubble">
      <div
        className={cn(
          'max-w-[85%] rounded-lg px-3 py-1.5 text-[13px] leading-snug text-slate-900 shadow-sm',
          mine ? 'rounded-tr-none bg-[#d9fdd3]' : 'rounded-tl-none bg-white',
        )}
        data-direction={mine ? 'contact' : entry.agent ? 'agent' : 'bot'}
      >
        {entry.agent && <p className="text-[11px] font-semibold text-emerald-800">{entry.agent}</p>}
        {poll && <p className="mb-1 text-[11px] font-semibold uppercase text-emerald-700">Poll</p>}
        <p className="whitespace-pre-wrap break-words">{entry.text}</p>
        {choices.length > 0 && !poll && (
          <ol className="mt-1.5 flex flex-col gap-0.5">
            {choices.map((choice, index) => (
              <li key={choice.id}>
                <button
                  type="button"
                  disabled={!interactive}
                  onClick={() => onPick(String(index + 1))}
                  className="rounded px-1 text-left enabled:cursor-pointer enabled:hover:bg-emerald-50 enabled:hover:text-emerald-800"
                  aria-label={`Reply ${index + 1}: ${choice.label}`}
                >
                  {index + 1}. {choice.label}
                </button>
              </li>
            ))}
          </ol>
        )}
        {poll && (
          <ul className="mt-2 flex flex-col gap-1.5" aria-label="Poll options">
            {choices.map((choice) => (
              <li key={choice.id}>
                <button
                  type="button"
                  disabled={!interactive}
                  onClick={() => onPick(choice.label)}
                  className="flex w-full items-center gap-2 rounded-md border px-2 py-1.5 text-left enabled:cursor-pointer enabled:hover:border-emerald-500 enabled:hover:bg-emerald-50"
                >
                  <span className="size-3.5 shrink-0 rounded-full border-2 border-slate-400" aria-hidden />
                  {choice.label}
                </button>
              </li>
            ))}
          </ul>
        )}
        {entry.media?.url && (
          <a
            href={entry.media.url}
            target="_blank"
            rel="noreferrer"
            className="mt-1 block truncate text-xs text-sky-700 underline"
          >
            {entry.media.caption ?? entry.media.kind ?? 'Attachment'}
          </a>
        )}
        <p className="mt-0.5 text-right text-[10px] text-slate-500">{TIME.format(new Date(entry.at))}</p>
      </div>
    </li>
  );
}

function VariablesTable({ title, values }: { title: string; values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  return (
    <section aria-label={title} className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold text-slate-700">{title}</h3>
      {entries.length === 0 ? (
        <p className="text-xs text-muted-foreground">None yet.</p>
      ) : (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          {entries.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="font-mono text-slate-500">{key}</dt>
              <dd className="truncate text-slate-900" title={formatValue(value)}>
                {formatValue(value)}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** Chat with the current draft through the simulator, as a contact would in WhatsApp. */
export function LiveTest({ flowId, onClose }: { flowId: string; onClose: () => void }) {
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [starting, setStarting] = useState(true);
  const [startError, setStartError] = useState<{ message: string; problems: Problem[] } | null>(null);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [status, setStatus] = useState<Status>('none');
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [variables, setVariables] = useState<Record<string, unknown>>({});
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  /** A message without its reply yet (failed or pending): "Try again" resends it with the same key. */
  const [unanswered, setUnanswered] = useState<{ message: Outgoing; idempotencyKey: string } | null>(null);
  const [locating, setLocating] = useState(false);
  const [pendingNote, setPendingNote] = useState<string | null>(null);
  const [startedRevision, setStartedRevision] = useState(0);
  /** Files, locations and agents' replies cannot be replayed by a conversation test: a chat with one cannot be saved as one. */
  const [onlyText, setOnlyText] = useState(true);
  const [testName, setTestName] = useState<string | null>(null);
  const [savingTest, setSavingTest] = useState(false);
  /** The hand-off was closed from the inbox: the next message starts the flow again. */
  const [released, setReleased] = useState(false);
  /**
   * Since the test reached a hand-off: its conversation, and its messages already accounted for
   * (shown by a turn's reply, or added from the inbox's events).
   */
  const handoff = useRef<{ conversationId: string; seen: Set<number> } | null>(null);
  const sendingNow = useRef(false);
  /** Reads of the conversation run one after the other, so no message is added twice. */
  const reading = useRef<Promise<void>>(Promise.resolve());
  const revision = useEditorStore((state) => state.revision);
  const startWords = useStartWords();
  const nextKey = useRef(0);
  const list = useRef<HTMLOListElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const setLiveNode = useOverlayStore((state) => state.setLiveNode);
  const select = useEditorStore((state) => state.select);
  const queryClient = useQueryClient();

  const start = useCallback(async () => {
    setStarting(true);
    setStartError(null);
    setSendError(null);
    setUnanswered(null);
    setPendingNote(null);
    setEntries([]);
    setOnlyText(true);
    setTestName(null);
    setStatus('none');
    setAnswers({});
    setVariables({});
    setReleased(false);
    handoff.current = null;
    setLiveNode(null);
    try {
      await saveNow();
      setStartedRevision(useEditorStore.getState().revision);
      const session = await api.startSimulation(flowId);
      setSessionId(session.id);
    } catch (error) {
      setSessionId(null);
      const problems =
        error instanceof ApiError && error.status === 422
          ? ((error.details as { errors?: Problem[] } | null)?.errors ?? [])
          : [];
      setStartError({
        message:
          error instanceof ApiError && error.status === 422
            ? 'The draft has problems, so it can’t be tested yet. Fix them and press Restart.'
            : errorMessage(error),
        problems,
      });
    } finally {
      setStarting(false);
    }
  }, [flowId, setLiveNode]);

  useEffect(() => {
    void start();
    return () => useOverlayStore.getState().setLiveNode(null);
  }, [start]);

  useEffect(() => {
    if (!starting && sessionId !== null) input.current?.focus();
  }, [starting, sessionId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the chat grows.
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [entries.length, sending]);

  /** Sends (or sends again) one message and shows its reply, or why there is none yet. */
  const deliver = async (attempt: { message: Outgoing; idempotencyKey: string }) => {
    if (sessionId === null) return;
    const { message, idempotencyKey } = attempt;
    setSending(true);
    sendingNow.current = true;
    setSendError(null);
    setPendingNote(null);
    try {
      const reply =
        message.kind === 'text'
          ? await api.sendSimulated(sessionId, message.text, idempotencyKey)
          : message.kind === 'file'
            ? await api.sendSimulatedFile(
                sessionId,
                { name: message.name, mimeType: message.mimeType, data: message.data },
                idempotencyKey,
              )
            : await api.sendSimulatedLocation(
                sessionId,
                { lat: message.lat, lng: message.lng },
                idempotencyKey,
              );
      if ('replyPending' in reply) {
        setUnanswered(attempt);
        setPendingNote(reply.message);
        return;
      }
      setUnanswered(null);
      setEntries((current) => [...current, ...replyEntries(reply, () => nextKey.current++)]);
      setStatus(reply.status);
      setAnswers(reply.answers);
      setVariables(reply.variables);
      const page = await api.listConversations({ numberId: sessionId, includeTest: true });
      const conversation = page.items[0];
      setLiveNode(conversation && conversation.status === 'active' ? conversation.currentNode : null);
      setReleased(conversation?.releasedAt != null);
      if (conversation && (reply.status === 'handoff' || handoff.current !== null)) {
        // The reply showed the contact's and the bot's messages; an agent's show from the events.
        const detail = await api.conversation(conversation.id);
        const seen = handoff.current?.seen ?? new Set<number>();
        for (const shown of detail.messages) if (shown.agent === null) seen.add(shown.id);
        handoff.current = { conversationId: conversation.id, seen };
      }
    } catch (error) {
      setUnanswered(attempt);
      setSendError(errorMessage(error));
    } finally {
      sendingNow.current = false;
      setSending(false);
      input.current?.focus();
    }
  };

  /** Adds what the inbox sent into the test conversation since the last look. */
  const readInbox = async () => {
    const followed = handoff.current;
    if (followed === null) return;
    let detail: ConversationDetail;
    try {
      detail = await api.conversation(followed.conversationId);
    } catch (error) {
      setSendError(`The agent’s replies could not be read: ${errorMessage(error)}`);
      return;
    }
    // A turn of the contact under way shows its own reply: only the agent's messages are added then.
    const duringTurn = sendingNow.current;
    const unseen = detail.messages.filter(
      (message) => !followed.seen.has(message.id) && (!duringTurn || message.agent !== null),
    );
    for (const message of unseen) followed.seen.add(message.id);
    const fresh = unseen
      .map((message) => inboxEntry(message, nextKey.current++))
      .filter((entry): entry is ChatEntry => entry !== null);
    if (fresh.length > 0) {
      setEntries((current) => [...current, ...fresh]);
      // A person's replies cannot be replayed by a conversation test.
      setOnlyText(false);
    }
    if (!duringTurn) {
      setStatus(detail.status);
      setReleased(detail.releasedAt !== null);
      setAnswers(detail.answers);
      setVariables(detail.variables);
    }
  };

  const catchUp = () => {
    reading.current = reading.current.then(readInbox);
  };

  useInboxActivity(
    {
      onActivity: (activity) => {
        if (activity.numberId === sessionId && activity.kind !== 'contact_message') catchUp();
      },
      onResync: catchUp,
    },
    sessionId !== null,
  );

  const sendMessage = async (message: Outgoing) => {
    if (sessionId === null || sending) return;
    if (message.kind !== 'text') setOnlyText(false);
    setEntries((current) => [
      ...current,
      { key: nextKey.current++, direction: 'in', text: outgoingText(message), at: new Date().toISOString() },
    ]);
    // One key per message: its retries reuse it, so the message is stored once.
    await deliver({ message, idempotencyKey: newIdempotencyKey() });
  };

  const send = async (typed: string) => {
    const trimmed = typed.trim();
    if (trimmed === '') return;
    setText('');
    await sendMessage({ kind: 'text', text: trimmed });
  };

  const sendFile = async (file: File | undefined) => {
    if (file === undefined) return;
    try {
      const data = await readBase64(file);
      await sendMessage({
        kind: 'file',
        name: file.name,
        mimeType: file.type || 'application/octet-stream',
        data,
      });
    } catch (error) {
      setSendError(errorMessage(error));
    }
  };

  const saveAsTest = async (event: FormEvent) => {
    event.preventDefault();
    if (testName === null || testName.trim() === '') return;
    setSavingTest(true);
    try {
      await api.addFlowTest(flowId, { name: testName.trim(), ...recordedTest(entries, status, answers) });
      await queryClient.invalidateQueries({ queryKey: ['flow-tests', flowId] });
      toast.success(
        'Saved as a test',
        `“${testName.trim()}” replays this conversation. Find it under Tests.`,
      );
      setTestName(null);
    } catch (error) {
      toast.error('Could not save the test', errorMessage(error));
    } finally {
      setSavingTest(false);
    }
  };
  const canRecord = onlyText && unanswered === null && !sending && entries.some((entry) => !isNote(entry));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(text);
  };

  const lastBot = [...entries]
    .reverse()
    .find((entry): entry is ChatEntry => !isNote(entry) && entry.direction === 'out');
  const info = STATUS[status];

  return (
    <aside aria-label="Live test" className="flex h-full w-[360px] shrink-0 flex-col border-l bg-card">
      <header className="flex items-center gap-2 border-b px-4 py-3">
        <MessageCircle className="size-4 text-primary" aria-hidden />
        <h2 className="text-sm font-semibold">Live test</h2>
        <Badge variant={info.variant} data-testid="live-status">
          {info.label}
        </Badge>
        <div className="ml-auto flex items-center gap-0.5">
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label="Save as test"
            disabled={!canRecord}
            title={
              onlyText
                ? 'Save this conversation as a test that replays it'
                : 'A conversation with a file, a location or a person’s replies cannot be saved as a test yet'
            }
            onClick={() => setTestName(testName === null ? '' : null)}
          >
            <FlaskConical aria-hidden />
          </Button>
          <Button variant="ghost" size="sm" onClick={() => void start()} disabled={starting}>
            <RotateCcw aria-hidden /> Restart
          </Button>
          <Button variant="ghost" size="icon-sm" aria-label="Close live test" onClick={onClose}>
            <X aria-hidden />
          </Button>
        </div>
      </header>
      {testName !== null && (
        <form onSubmit={saveAsTest} className="flex items-center gap-2 border-b bg-slate-50 px-3 py-2">
          <label htmlFor="live-test-name" className="sr-only">
            Test name
          </label>
          <Input
            id="live-test-name"
            autoFocus
            value={testName}
            maxLength={200}
            placeholder="What this conversation checks"
            onChange={(event) => setTestName(event.target.value)}
          />
          <Button type="submit" size="sm" disabled={savingTest || testName.trim() === ''}>
            {savingTest ? <Spinner label="Saving the test" /> : null}
            Save
          </Button>
        </form>
      )}
      {revision !== startedRevision && sessionId !== null && (
        <p role="status" className="border-b bg-amber-50 px-4 py-1.5 text-xs text-amber-900">
          You changed the flow. Press Restart to test the new version.
        </p>
      )}
      <div className="min-h-0 flex-1 overflow-y-auto bg-[#efeae2] px-3 py-3">
        {starting ? (
          <div className="flex h-full items-center justify-center gap-2 text-sm text-slate-600">
            <Spinner label="Starting the test" /> Starting a test conversation…
          </div>
        ) : startError !== null ? (
          <div role="alert" className="rounded-lg border border-red-200 bg-white p-3 text-sm">
            <p className="font-medium text-red-700">{startError.message}</p>
            {startError.problems.length > 0 && (
              <ul className="mt-2 list-disc pl-4 text-xs text-slate-700">
                {startError.problems.slice(0, 6).map((problem) => (
                  <li key={`${problem.pointer}:${problem.message}`}>{problem.message}</li>
                ))}
              </ul>
            )}
          </div>
        ) : (
          <>
            {entries.length === 0 && (
              <div className="mx-auto mt-6 max-w-[260px] rounded-lg bg-white/90 p-3 text-center text-xs text-slate-600 shadow-sm">
                <p>
                  Chat with your draft as a customer would on WhatsApp. Nothing is sent to real numbers; the
                  answers are kept as test data.
                </p>
                {startWords.length > 0 && (
                  <div className="mt-2 flex flex-wrap justify-center gap-1.5">
                    {startWords.map((word) => (
                      <Button key={word} size="sm" variant="outline" onClick={() => void send(word)}>
                        Say “{word}”
                      </Button>
                    ))}
                  </div>
                )}
              </div>
            )}
            <ol ref={list} className="flex flex-col gap-1.5" aria-label="Messages" aria-live="polite">
              {entries.map((entry) =>
                isNote(entry) ? (
                  <NoteLine key={entry.key} note={entry.note} onShow={(nodeId) => select(nodeId, true)} />
                ) : (
                  <Bubble
                    key={entry.key}
                    entry={entry}
                    interactive={entry === lastBot && status === 'active' && !sending}
                    onPick={(reply) => void send(reply)}
                  />
                ),
              )}
              {sending && (
                <li className="flex justify-start">
                  <span className="rounded-lg bg-white px-3 py-1.5 text-xs text-slate-500 shadow-sm">
                    typing…
                  </span>
                </li>
              )}
            </ol>
            {status === 'handoff' && (
              <p
                role="status"
                data-testid="live-handoff"
                className="mx-auto mt-3 max-w-[280px] rounded-lg bg-white/90 p-2 text-center text-xs text-slate-700 shadow-sm"
              >
                {released
                  ? 'The hand-off was closed from the inbox. The next message starts the flow again.'
                  : 'A person answers now, from the Inbox. Keep typing as the contact: your messages show there, and their replies show here.'}
              </p>
            )}
            {status !== 'none' && status !== 'active' && status !== 'handoff' && (
              <p className="mt-3 text-center text-xs text-slate-600">
                The conversation has ended ({info.label.toLowerCase()}). Send a message to start again, or
                press Restart.
                {canRecord && testName === null && (
                  <Button
                    variant="outline"
                    size="sm"
                    className="mt-2 bg-white"
                    onClick={() => setTestName('')}
                  >
                    <FlaskConical aria-hidden /> Save this conversation as a test
                  </Button>
                )}
              </p>
            )}
          </>
        )}
      </div>
      {(sendError !== null || pendingNote !== null) && (
        <div
          role={sendError === null ? 'status' : 'alert'}
          className={cn(
            'flex items-center gap-2 border-t px-4 py-1.5 text-xs',
            sendError === null ? 'bg-amber-50 text-amber-900' : 'bg-red-50 text-red-700',
          )}
        >
          <p className="flex-1">{sendError ?? pendingNote}</p>
          {unanswered !== null && (
            <Button size="sm" variant="outline" disabled={sending} onClick={() => void deliver(unanswered)}>
              {sendError === null ? 'Check for the reply' : 'Try again'}
            </Button>
          )}
        </div>
      )}
      {locating && (
        <LocationForm
          disabled={sessionId === null || sending}
          onCancel={() => setLocating(false)}
          onSend={(lat, lng) => {
            setLocating(false);
            void sendMessage({ kind: 'location', lat, lng });
          }}
        />
      )}
      <AttachmentBar
        disabled={sessionId === null || sending}
        onFile={(file) => void sendFile(file)}
        onToggleLocation={() => setLocating((open) => !open)}
      />
      <form onSubmit={submit} className="flex items-center gap-2 px-3 py-2">
        <label htmlFor="live-test-input" className="sr-only">
          Your message
        </label>
        <Input
          id="live-test-input"
          ref={input}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={sessionId === null ? 'Not available' : 'Type a message'}
          disabled={sessionId === null || starting}
          maxLength={4096}
          autoComplete="off"
        />
        <Button
          type="submit"
          size="icon"
          aria-label="Send"
          disabled={sessionId === null || sending || text.trim() === ''}
        >
          <Send aria-hidden />
        </Button>
      </form>
      <div className="flex max-h-48 flex-col gap-3 overflow-y-auto border-t bg-slate-50 px-4 py-3">
        <VariablesTable title="Answers" values={answers} />
        <VariablesTable title="Variables" values={variables} />
      </div>
    </aside>
  );
}
