import type { ConversationDetail } from '@parley/contract';
import { isNodeType, nodeName } from '@parley/schemas';
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
import { inboxKeys } from './queries';

/** The flow the conversation runs: its version, or the draft for a live test (version 0). */
async function conversationFlow(conversation: ConversationDetail) {
  if (conversation.flowVersion === 0) return (await api.getFlow(conversation.flowId)).draft.definition;
  return (await api.version(conversation.flowId, conversation.flowVersion)).definition;
}

/** Hands the conversation back to the bot at a block the agent picks by its name; answers are kept. */
export function HandBackDialog({
  conversation,
  open,
  onOpenChange,
}: {
  conversation: ConversationDetail;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const [nodeId, setNodeId] = useState<string | undefined>(undefined);
  const flow = useQuery({
    queryKey: ['flow-version', conversation.flowId, conversation.flowVersion],
    queryFn: () => conversationFlow(conversation),
    enabled: open,
  });
  const blocks = (flow.data?.nodes ?? [])
    .filter((node) => isNodeType(node.type))
    .map((node) => ({ value: node.id, label: nodeName(node) }));
  const picked = blocks.find((block) => block.value === nodeId);
  const resume = useMutation({
    mutationFn: (id: string) => api.resumeConversation(conversation.id, id),
    onSuccess: () => {
      toast.success(
        'Handed back to the bot',
        `The bot goes on from ${picked?.label ?? 'the block you picked'}.`,
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
        if (!next) resume.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Hand back to the bot</DialogTitle>
          <DialogDescription>
            The bot takes the conversation again and goes on from the block you pick, at once. What the
            contact answered so far is kept.
          </DialogDescription>
        </DialogHeader>
        {flow.isPending ? (
          <LoadingState label="Reading the flow…" />
        ) : flow.isError ? (
          <p role="alert" className="text-sm text-destructive">
            The flow’s blocks could not be read: {errorMessage(flow.error)}
          </p>
        ) : (
          <div className="flex flex-col gap-1.5">
            <Label id="hand-back-block-label" htmlFor="hand-back-block">
              Go on from
            </Label>
            <Select
              id="hand-back-block"
              value={nodeId}
              onValueChange={setNodeId}
              options={blocks}
              placeholder="Pick a block"
            />
          </div>
        )}
        {resume.isError && (
          <p role="alert" className="text-sm text-destructive">
            {errorMessage(resume.error)}
          </p>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            disabled={nodeId === undefined || resume.isPending}
            onClick={() => nodeId !== undefined && resume.mutate(nodeId)}
          >
            Hand back
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
