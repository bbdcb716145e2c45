import type { ConversationNote } from '@parley/contract';
import { AlertTriangle, Info, RotateCcw, ShieldX, Wrench } from 'lucide-react';
import { cn } from '@/lib/cn';

const KINDS: Partial<Record<ConversationNote['kind'], { title: string; icon: typeof Info; tone: string }>> = {
  ai_tool_call: { title: 'Tool call', icon: Wrench, tone: 'text-slate-600' },
  ai_failed: { title: 'AI failed', icon: AlertTriangle, tone: 'text-red-700' },
  ai_refused: { title: 'AI answer refused', icon: ShieldX, tone: 'text-amber-700' },
  ai_retried: { title: 'Called again after a restart', icon: RotateCcw, tone: 'text-slate-600' },
};

const TIME = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' });

/**
 * A note for the team between a transcript's messages, muted: what the contact did not see (a
 * model's tool call with its arguments, why an AI block failed).
 */
export function TranscriptNote({ note }: { note: ConversationNote }) {
  const kind = KINDS[note.kind] ?? { title: 'Note', icon: Info, tone: 'text-slate-600' };
  const Icon = kind.icon;
  return (
    <li className="my-0.5 flex justify-center" data-testid="transcript-note" data-kind={note.kind}>
      <div className="flex max-w-[92%] items-start gap-1.5 rounded-md border border-slate-300/70 bg-slate-50/90 px-2.5 py-1 text-[12px] leading-snug text-slate-700">
        <Icon className={cn('mt-0.5 size-3.5 shrink-0', kind.tone)} aria-hidden />
        <p className="min-w-0">
          <span className={cn('font-medium', kind.tone)}>{kind.title}:</span>{' '}
          <span className="whitespace-pre-wrap break-words">{note.text}</span>{' '}
          <span className="text-[10px] text-slate-500">{TIME.format(new Date(note.at))}</span>
        </p>
      </div>
    </li>
  );
}
