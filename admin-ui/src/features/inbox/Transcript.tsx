import type { ConversationMessage, ConversationNote } from '@parley/contract';
import { AlertCircle, Check, CheckCheck, Clock, Paperclip } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { TranscriptNote } from '@/components/transcript-note';
import { toast } from '@/components/ui/toast';
import { download, errorMessage } from '@/infrastructure/api';
import { cn } from '@/lib/cn';
import { mediaFileName } from '@/lib/media-name';
import { placeNotes } from '@/lib/place-notes';

const TIME = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short' });

interface Media {
  url: string;
  name: string;
}

/** A stored file's url (`parley-media://key`) as its download path; null for anything else. */
function mediaOf(body: Record<string, unknown>): Media | null {
  const media = body.media as { url?: unknown; name?: unknown; caption?: unknown } | undefined;
  if (typeof media?.url !== 'string' || !media.url.startsWith('parley-media://')) return null;
  const key = media.url.slice('parley-media://'.length);
  return { url: `/media/${key.split('/').map(encodeURIComponent).join('/')}`, name: mediaFileName(media) };
}

/** What a message says, in one text (choices numbered as the contact saw them). */
export function messageText(message: ConversationMessage): string {
  const body = message.body;
  if (typeof body.text === 'string') {
    const choices = Array.isArray(body.choices) ? (body.choices as { label?: unknown }[]) : [];
    if (choices.length === 0) return body.text;
    return [body.text, ...choices.map((choice, index) => `${index + 1}. ${String(choice.label ?? '')}`)].join(
      '\n',
    );
  }
  if (typeof body.caption === 'string') return body.caption;
  if (message.type === 'location') return 'Shared a location';
  return '';
}

const TICKS: Record<string, { icon: typeof Check; label: string; className?: string }> = {
  queued: { icon: Clock, label: 'Waiting to be sent' },
  sending: { icon: Clock, label: 'Sending' },
  sent: { icon: Check, label: 'Sent' },
  delivered: { icon: CheckCheck, label: 'Delivered' },
  read: { icon: CheckCheck, label: 'Read', className: 'text-sky-600' },
};

function Ticks({ status }: { status: string }) {
  const tick = TICKS[status];
  if (tick === undefined) return null;
  const Icon = tick.icon;
  return (
    <span title={tick.label} data-testid="delivery" data-status={status} className="inline-flex">
      <Icon className={cn('size-3.5', tick.className)} aria-hidden />
      <span className="sr-only">{tick.label}</span>
    </span>
  );
}

function Attachment({ media }: { media: Media }) {
  const save = () =>
    download(media.url, media.name).catch((error: unknown) =>
      toast.error('Could not download the file', errorMessage(error)),
    );
  return (
    <button
      type="button"
      onClick={() => void save()}
      className="mb-1 flex max-w-full cursor-pointer items-center gap-1.5 rounded border bg-white/70 px-2 py-1 text-xs text-sky-800 hover:bg-white"
    >
      <Paperclip className="size-3.5 shrink-0" aria-hidden />
      <span className="truncate">{media.name}</span>
    </button>
  );
}

function Bubble({ message }: { message: ConversationMessage }) {
  const fromContact = message.direction === 'in';
  const failed = message.status === 'failed';
  const media = mediaOf(message.body);
  const text = messageText(message);
  const author = fromContact ? null : (message.agent?.name ?? 'Bot');
  return (
    <li
      className={cn('flex', fromContact ? 'justify-start' : 'justify-end')}
      data-testid="inbox-message"
      data-from={fromContact ? 'contact' : message.agent ? 'agent' : 'bot'}
    >
      <div
        className={cn(
          'max-w-[85%] rounded-lg px-3 py-1.5 text-[13px] leading-snug text-slate-900 shadow-sm md:max-w-[75%]',
          fromContact ? 'rounded-tl-none bg-white' : 'rounded-tr-none',
          !fromContact && (message.agent ? 'bg-[#d9fdd3]' : 'bg-[#eef6ec]'),
          failed && 'border border-red-300 bg-red-50',
        )}
      >
        {author && (
          <p
            className={cn('text-[11px] font-semibold', message.agent ? 'text-emerald-800' : 'text-slate-500')}
          >
            {author}
          </p>
        )}
        {media && <Attachment media={media} />}
        {text !== '' && <p className="whitespace-pre-wrap break-words">{text}</p>}
        <p className="mt-0.5 flex items-center justify-end gap-1 text-[10px] text-slate-500">
          {TIME.format(new Date(message.createdAt))}
          {!fromContact && !failed && <Ticks status={message.status} />}
        </p>
        {failed && (
          <p role="alert" className="mt-1 flex items-start gap-1 text-xs text-red-700">
            <AlertCircle className="mt-0.5 size-3.5 shrink-0" aria-hidden />
            <span>{message.error ?? 'Not sent.'}</span>
          </p>
        )}
      </div>
    </li>
  );
}

/**
 * The messages of a conversation, oldest first, with a line where each day starts and the team's
 * notes (AI tool calls and failures) where they happened.
 */
export function Transcript({
  messages,
  notes,
  truncated,
}: {
  messages: ConversationMessage[];
  notes: ConversationNote[];
  truncated: boolean;
}) {
  const list = useRef<HTMLOListElement>(null);
  const shown = messages.filter((message) => message.type !== 'control');
  const last = shown.at(-1);
  // Scroll when a message arrives or its delivery changes.
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [last?.id, last?.status]);

  let day = '';
  return (
    <ol ref={list} aria-label="Messages" className="flex flex-col gap-1.5">
      {truncated && (
        <li role="status" className="text-center text-xs text-slate-600">
          Earlier messages are not shown.
        </li>
      )}
      {shown.length === 0 && <li className="text-center text-xs text-slate-600">No messages yet.</li>}
      {placeNotes(shown, notes).flatMap((item) => {
        if ('note' in item) return [<TranscriptNote key={`note-${item.note.id}`} note={item.note} />];
        const message = item.message;
        const thisDay = DAY.format(new Date(message.createdAt));
        const line =
          thisDay === day
            ? []
            : [
                <li key={`day-${message.id}`} className="my-1 flex justify-center">
                  <span className="rounded-md bg-white/80 px-2 py-0.5 text-[11px] text-slate-600 shadow-sm">
                    {thisDay}
                  </span>
                </li>,
              ];
        day = thisDay;
        return [...line, <Bubble key={message.id} message={message} />];
      })}
    </ol>
  );
}
