import type { SavedReply } from '@parley/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';

type Editing = { id: string | null; title: string; body: string };

function ReplyForm({ editing, onDone }: { editing: Editing; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(editing.title);
  const [body, setBody] = useState(editing.body);
  const save = useMutation({
    mutationFn: () => {
      const reply = { title: title.trim(), body: body.trim() };
      return editing.id === null ? api.createSavedReply(reply) : api.updateSavedReply(editing.id, reply);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['saved-replies'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() !== '' && body.trim() !== '') save.mutate();
  };
  return (
    <form
      onSubmit={submit}
      aria-label={editing.id === null ? 'New saved reply' : 'Edit saved reply'}
      className="flex flex-col gap-2 rounded-md border bg-muted/40 p-3"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor="saved-reply-title">Name</Label>
        <Input
          id="saved-reply-title"
          autoFocus
          value={title}
          maxLength={100}
          placeholder="Opening hours"
          onChange={(event) => setTitle(event.target.value)}
        />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="saved-reply-body">Reply</Label>
        <Textarea
          id="saved-reply-body"
          value={body}
          rows={3}
          maxLength={4096}
          placeholder="We are open Monday to Friday, 9:00 to 18:00."
          onChange={(event) => setBody(event.target.value)}
        />
      </div>
      {save.isError && (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(save.error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="outline" size="sm" onClick={onDone}>
          Cancel
        </Button>
        <Button
          type="submit"
          size="sm"
          disabled={save.isPending || title.trim() === '' || body.trim() === ''}
        >
          Save reply
        </Button>
      </div>
    </form>
  );
}

/** Add, change and remove the workspace's saved replies, from the composer. */
export function SavedRepliesDialog({
  open,
  onOpenChange,
  replies,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  replies: SavedReply[];
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [removing, setRemoving] = useState<SavedReply | null>(null);
  const remove = useMutation({
    mutationFn: (reply: SavedReply) => api.deleteSavedReply(reply.id),
    onSuccess: (_, reply) => {
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: ['saved-replies'] });
      toast.success('Saved reply removed', `“${reply.title}” is no longer offered.`);
    },
    onError: (error) => toast.error('Could not remove the saved reply', errorMessage(error)),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setEditing(null);
        onOpenChange(next);
      }}
    >
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>Saved replies</DialogTitle>
          <DialogDescription>
            Answers everyone in this workspace can send with two clicks. Pick one from the composer, then
            change it if you need to before sending.
          </DialogDescription>
        </DialogHeader>
        <ul className="flex max-h-[50vh] flex-col gap-2 overflow-y-auto" aria-label="Saved replies">
          {replies.length === 0 && editing === null && (
            <li className="text-sm text-muted-foreground">No saved replies yet.</li>
          )}
          {replies.map((reply) =>
            editing?.id === reply.id ? (
              <li key={reply.id}>
                <ReplyForm editing={editing} onDone={() => setEditing(null)} />
              </li>
            ) : (
              <li key={reply.id} className="flex items-start gap-2 rounded-md border p-2">
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium">{reply.title}</p>
                  <p className="line-clamp-2 whitespace-pre-wrap text-xs text-muted-foreground">
                    {reply.body}
                  </p>
                </div>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Edit ${reply.title}`}
                  onClick={() => setEditing({ id: reply.id, title: reply.title, body: reply.body })}
                >
                  <Pencil aria-hidden />
                </Button>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Remove ${reply.title}`}
                  disabled={remove.isPending}
                  onClick={() => setRemoving(reply)}
                >
                  <Trash2 aria-hidden />
                </Button>
              </li>
            ),
          )}
        </ul>
        {editing?.id === null ? (
          <ReplyForm editing={editing} onDone={() => setEditing(null)} />
        ) : (
          <Button
            variant="outline"
            className="self-start"
            onClick={() => setEditing({ id: null, title: '', body: '' })}
          >
            <Plus aria-hidden /> New saved reply
          </Button>
        )}
      </DialogContent>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove “${removing?.title ?? ''}”?`}
        description="Nobody in the workspace is offered it any more. Messages already sent with it stay as they are."
        confirmLabel="Remove"
        destructive
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      />
    </Dialog>
  );
}
