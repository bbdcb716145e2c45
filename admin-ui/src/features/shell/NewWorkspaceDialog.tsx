import { useMutation } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { workspaceNameRules } from '@/lib/workspace-name';

/** Creates a workspace, where the person becomes admin, and switches to it. */
export function NewWorkspaceDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => void;
}) {
  const switchWorkspace = useSession((state) => state.switchWorkspace);
  const form = useForm<{ name: string }>({ defaultValues: { name: '' } });
  const create = useMutation({
    mutationFn: (name: string) => api.createWorkspace(name.trim()),
    onSuccess: (created) => {
      toast.success(
        `${created.workspaceName} is ready`,
        'You are its admin. It starts with a sample flow to try; add people from Users.',
      );
      form.reset();
      onOpenChange(false);
      switchWorkspace(created.workspaceId);
      onCreated();
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const { errors } = form.formState;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) form.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New workspace</DialogTitle>
          <DialogDescription>
            A workspace has its own flows, numbers, conversations and people; nothing is shared with your
            other workspaces. You will be its admin.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => create.mutate(values.name))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="new-workspace-name">Name</Label>
            <Input
              id="new-workspace-name"
              autoComplete="off"
              placeholder="For example: Clinic North"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'new-workspace-name-error' : undefined}
              {...form.register('name', workspaceNameRules)}
            />
            <FieldError id="new-workspace-name-error" message={errors.name?.message} />
          </div>
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Spinner label="Creating" />}
              Create workspace
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** For someone outside the shell (in no workspace yet): a button that creates one and opens it. */
export function NewWorkspaceButton() {
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)}>
        <Plus aria-hidden /> Create a workspace
      </Button>
      <NewWorkspaceDialog
        open={open}
        onOpenChange={setOpen}
        onCreated={() => navigate('/flows', { replace: true })}
      />
    </>
  );
}
