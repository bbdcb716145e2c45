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
import { toast } from '@/components/ui/toast';
import { documentToCanvas } from '@/core/canvas';
import { api, errorMessage } from '@/infrastructure/api';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { saveNow } from './autosave';

/**
 * Someone saved this flow after it was opened here. Nothing is overwritten until the admin picks:
 * load their version (losing the changes made here), or keep these changes (replacing theirs).
 */
export function ConflictDialog() {
  const status = useEditorStore((state) => state.saveStatus);
  const flowId = useEditorStore((state) => state.flowId);
  const [busy, setBusy] = useState<'reload' | 'keep' | null>(null);
  if (flowId === null) return null;

  const reload = async () => {
    setBusy('reload');
    try {
      const flow = await api.getFlow(flowId);
      useEditorStore
        .getState()
        .load(documentToCanvas(flow.draft.definition), { flowId, etag: flow.draft.etag, readOnly: false });
      toast.info('Loaded the latest version', 'Your changes from this tab were discarded.');
    } catch (error) {
      toast.error('Could not reload the flow', errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  const keepMine = async () => {
    setBusy('keep');
    try {
      const flow = await api.getFlow(flowId);
      const store = useEditorStore.getState();
      // Save this tab's version over theirs, knowingly: with the etag just read.
      store.setSave({ etag: flow.draft.etag, saveStatus: 'dirty', savedRevision: -1 });
      if (await saveNow()) toast.success('Your version was saved', 'It replaced the other changes.');
    } catch (error) {
      toast.error('Could not save your version', errorMessage(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog open={status === 'conflict'}>
      <DialogContent
        className="max-w-md"
        hideClose
        onEscapeKeyDown={(event) => event.preventDefault()}
        onPointerDownOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>This flow was changed in another tab or by someone else</DialogTitle>
          <DialogDescription>
            Your latest changes are not saved yet. Load the other version to see their changes (yours from
            this tab are discarded), or keep yours (the other changes are replaced).
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={reload} disabled={busy !== null}>
            Reload their version
          </Button>
          <Button onClick={keepMine} disabled={busy !== null}>
            Keep mine
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
