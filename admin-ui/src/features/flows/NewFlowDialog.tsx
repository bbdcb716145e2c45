import { blankDocument, FLOW_TEMPLATES, fromTemplate } from '@parley/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FileText, LayoutTemplate } from 'lucide-react';
import { Controller, useForm } from 'react-hook-form';
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
import { withReadingSettings } from '@/core/settings/reading';
import { api, errorMessage } from '@/infrastructure/api';
import { cn } from '@/lib/cn';

interface NewFlowForm {
  name: string;
  template: string;
}

const STARTS = [
  { id: 'blank', title: 'Blank', description: 'Start from an empty canvas.' },
  ...FLOW_TEMPLATES.map(({ id, title, description }) => ({ id, title, description })),
];

export function NewFlowDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<NewFlowForm>({ defaultValues: { name: '', template: 'blank' } });
  const create = useMutation({
    mutationFn: ({ name, template }: NewFlowForm) => {
      const chosen = FLOW_TEMPLATES.find((item) => item.id === template);
      const document = withReadingSettings(chosen ? fromTemplate(chosen, name) : blankDocument(name), {
        language: navigator.language,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      return api.createFlow(name, document);
    },
    onSuccess: (flow) => {
      queryClient.invalidateQueries({ queryKey: ['flows'] });
      onOpenChange(false);
      form.reset();
      toast.success('Flow created', `“${flow.name}” is ready to edit.`);
      navigate(`/flows/${flow.id}`);
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });

  const onSubmit = form.handleSubmit((values) => create.mutate({ ...values, name: values.name.trim() }));
  const nameError = form.formState.errors.name;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>New flow</DialogTitle>
          <DialogDescription>
            Name it and pick a starting point. You can change everything later.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="flow-name">Name</Label>
            <Input
              id="flow-name"
              placeholder="e.g. Website leads"
              autoFocus
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? 'flow-name-error' : undefined}
              {...form.register('name', {
                validate: (value) => value.trim() !== '' || 'Give the flow a name.',
                maxLength: { value: 200, message: 'Keep the name under 200 characters.' },
              })}
            />
            <FieldError id="flow-name-error" message={nameError?.message} />
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-sm font-medium">Start from</legend>
            <Controller
              control={form.control}
              name="template"
              render={({ field }) => (
                <div role="radiogroup" aria-label="Start from" className="grid grid-cols-2 gap-3">
                  {STARTS.map((start) => {
                    const checked = field.value === start.id;
                    return (
                      // biome-ignore lint/a11y/useSemanticElements: a card-style radio; role and state are set.
                      <button
                        key={start.id}
                        type="button"
                        role="radio"
                        aria-checked={checked}
                        onClick={() => field.onChange(start.id)}
                        className={cn(
                          'flex items-start gap-3 rounded-lg border p-3 text-left transition-colors hover:bg-muted',
                          checked && 'border-primary bg-accent ring-1 ring-primary hover:bg-accent',
                        )}
                      >
                        <span className="mt-0.5 text-primary">
                          {start.id === 'blank' ? (
                            <FileText className="size-5" aria-hidden />
                          ) : (
                            <LayoutTemplate className="size-5" aria-hidden />
                          )}
                        </span>
                        <span>
                          <span className="block text-sm font-medium">{start.title}</span>
                          <span className="mt-0.5 block text-xs text-muted-foreground">
                            {start.description}
                          </span>
                        </span>
                      </button>
                    );
                  })}
                </div>
              )}
            />
          </fieldset>
          {form.formState.errors.root && <FormAlert>{form.formState.errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Spinner label="Creating" />}
              Create flow
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
