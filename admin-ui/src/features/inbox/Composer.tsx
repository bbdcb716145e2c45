import type { AgentMessageBody, Attachment } from '@parley/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { BookmarkPlus, MessageSquareText, Paperclip, Send, X } from 'lucide-react';
import { type KeyboardEvent, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Spinner } from '@/components/ui/states';
import { Textarea } from '@/components/ui/textarea';
import { api, errorMessage, newIdempotencyKey } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { readBase64 } from '@/lib/read-base64';
import { inboxKeys } from './queries';
import { SavedRepliesDialog } from './SavedRepliesDialog';

/** What the contact can receive besides text: pictures and common documents. */
const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.txt,.csv';

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A reply not accepted yet: "Try again" sends it with the same key, so it is never sent twice. */
interface Pending {
  body: AgentMessageBody;
  key: string;
}

/** The agent's reply box: text, a file, saved replies; Enter sends, Shift+Enter starts a new line. */
export function Composer({ conversationId }: { conversationId: string }) {
  const workspaceId = useSession((state) => state.me?.workspaceId);
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [failed, setFailed] = useState<Pending | null>(null);
  const [managing, setManaging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const replies = useQuery({ queryKey: inboxKeys.savedReplies(workspaceId), queryFn: api.savedReplies });

  const deliver = async (pending: Pending) => {
    setSending(true);
    setProblem(null);
    try {
      await api.sendAgentMessage(conversationId, pending.body, pending.key);
      setFailed(null);
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversationId] });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
    } catch (error) {
      setFailed(pending);
      setProblem(errorMessage(error));
    } finally {
      setSending(false);
      box.current?.focus();
    }
  };

  const send = () => {
    const trimmed = text.trim();
    if ((trimmed === '' && attachment === null) || sending || uploading) return;
    const body: AgentMessageBody = {
      ...(trimmed === '' ? {} : { text: trimmed }),
      ...(attachment === null ? {} : { attachmentId: attachment.attachmentId }),
    };
    setText('');
    setAttachment(null);
    void deliver({ body, key: newIdempotencyKey() });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  const attach = async (file: File | undefined) => {
    if (file === undefined) return;
    setUploading(true);
    setProblem(null);
    try {
      const data = await readBase64(file);
      setAttachment(
        await api.uploadAttachment(conversationId, {
          name: file.name,
          mimeType: file.type || 'application/octet-stream',
          data,
        }),
      );
    } catch (error) {
      setProblem(`${file.name} was not attached: ${errorMessage(error)}`);
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const saved = replies.data ?? [];
  return (
    <div className="border-t bg-card">
      {problem !== null && (
        <div role="alert" className="flex items-center gap-2 bg-red-50 px-3 py-1.5 text-xs text-red-700">
          <p className="flex-1">{problem}</p>
          {failed !== null && (
            <Button size="sm" variant="outline" disabled={sending} onClick={() => void deliver(failed)}>
              Try again
            </Button>
          )}
        </div>
      )}
      {(attachment !== null || uploading) && (
        <div className="flex items-center gap-2 px-3 pt-2 text-xs">
          {uploading ? (
            <>
              <Spinner label="Attaching the file" /> Attaching…
            </>
          ) : (
            attachment && (
              <span
                className="inline-flex max-w-full items-center gap-1.5 rounded-md border bg-muted px-2 py-1"
                data-testid="attachment"
              >
                <Paperclip className="size-3.5 shrink-0" aria-hidden />
                <span className="truncate">{attachment.name}</span>
                <span className="text-muted-foreground">{sizeText(attachment.size)}</span>
                <button
                  type="button"
                  className="cursor-pointer rounded p-0.5 hover:bg-slate-200"
                  aria-label={`Remove ${attachment.name}`}
                  onClick={() => setAttachment(null)}
                >
                  <X className="size-3.5" aria-hidden />
                </button>
              </span>
            )
          )}
        </div>
      )}
      <div className="flex items-end gap-1.5 px-2 py-2 md:px-3">
        <input
          ref={fileInput}
          type="file"
          accept={ACCEPT}
          className="hidden"
          aria-label="Attach an image or a document"
          onChange={(event) => void attach(event.target.files?.[0])}
        />
        <Button
          variant="ghost"
          size="icon"
          aria-label="Attach an image or a document"
          title="Attach an image or a document"
          disabled={uploading || sending}
          onClick={() => fileInput.current?.click()}
        >
          <Paperclip aria-hidden />
        </Button>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon" aria-label="Saved replies" title="Saved replies">
              <MessageSquareText aria-hidden />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start" className="max-w-80">
            <DropdownMenuLabel>Saved replies</DropdownMenuLabel>
            {replies.isError && (
              <p className="px-2 py-1 text-xs text-destructive">{errorMessage(replies.error)}</p>
            )}
            {replies.isSuccess && saved.length === 0 && (
              <p className="px-2 py-1 text-xs text-muted-foreground">
                None yet: add the answers you give often.
              </p>
            )}
            {saved.map((reply) => (
              <DropdownMenuItem
                key={reply.id}
                onSelect={() => {
                  setText(reply.body);
                  requestAnimationFrame(() => box.current?.focus());
                }}
              >
                <span className="min-w-0">
                  <span className="block font-medium">{reply.title}</span>
                  <span className="block truncate text-xs text-muted-foreground">{reply.body}</span>
                </span>
              </DropdownMenuItem>
            ))}
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => setManaging(true)}>
              <BookmarkPlus aria-hidden /> Manage saved replies…
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
        <label htmlFor="inbox-reply" className="sr-only">
          Your reply
        </label>
        <Textarea
          id="inbox-reply"
          ref={box}
          value={text}
          rows={1}
          maxLength={4096}
          placeholder="Type a reply"
          title="Enter sends; Shift+Enter starts a new line"
          className="field-sizing-content max-h-40 min-h-9 flex-1 resize-none"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button
          size="icon"
          aria-label="Send"
          disabled={sending || uploading || (text.trim() === '' && attachment === null)}
          onClick={send}
        >
          {sending ? <Spinner label="Sending" /> : <Send aria-hidden />}
        </Button>
      </div>
      <SavedRepliesDialog open={managing} onOpenChange={setManaging} replies={saved} />
    </div>
  );
}
