import type { ConversationDetail } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { inboxKeys } from './queries';

/** Gives the conversation to a colleague who can answer (an agent, editor or admin). */
export function AssignDialog({
  conversation,
  open,
  onOpenChange,
}: {
  conversation: ConversationDetail;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const workspaceId = useSession((state) => state.me?.workspaceId);
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState<string | undefined>(undefined);
  const me = useSession((state) => state.me?.id);
  const people = useQuery({
    queryKey: ['inbox-people', workspaceId],
    queryFn: api.inboxPeople,
    enabled: open,
  });
  const options = (people.data ?? [])
    .filter((person) => person.id !== conversation.assignedTo?.id && person.id !== me)
    .map((person) => ({ value: person.id, label: person.name }));
  const assign = useMutation({
    mutationFn: (id: string) => api.setAssignee(conversation.id, id),
    onSuccess: (result) => {
      toast.success(
        'Assigned',
        `${result.assignedTo?.name ?? 'Your colleague'} answers this conversation now.`,
      );
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      onOpenChange(false);
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) assign.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Assign to a colleague</DialogTitle>
          <DialogDescription>
            They see it under Mine and answer from now on; the others see who holds it.
          </DialogDescription>
        </DialogHeader>
        {people.isPending ? (
          <LoadingState label="Loading the team…" />
        ) : people.isError ? (
          <p role="alert" className="text-sm text-destructive">
            The team could not be loaded: {errorMessage(people.error)}
          </p>
        ) : options.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            Nobody else here can answer contacts. An admin can add people as agents on the Users page.
          </p>
        ) : (
          <div className="flex flex-col gap-1.5">
            <Label id="assign-to-label" htmlFor="assign-to">
              Colleague
            </Label>
            <Select
              id="assign-to"
              value={userId}
              onValueChange={setUserId}
              options={options}
              placeholder="Pick a person"
            />
          </div>
        )}
        {assign.isError && (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(assign.error)}
          </p>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            disabled={userId === undefined || assign.isPending}
            onClick={() => userId !== undefined && assign.mutate(userId)}
          >
            Assign
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
