import {
  AI_PROVIDER_KINDS,
  type AiConnectionTest,
  type AiCredential,
  type AiProviderKind,
} from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Plus, Sparkles, XCircle } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { LearnMore } from '@/components/learn-more';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
import { Select } from '@/components/ui/select';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { AiUsageSection } from './AiUsageSection';

const KIND_TITLES: Record<AiProviderKind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic (Claude)',
  google: 'Google (Gemini)',
  openai_compatible: 'OpenAI-compatible server (Ollama, vLLM, LM Studio)',
};

const KIND_BADGES: Record<AiProviderKind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openai_compatible: 'OpenAI-compatible',
};

/** Where each provider hands out keys, said in words (no links out of the product). */
const KEY_HELP: Record<AiProviderKind, string> = {
  openai: 'Make a key in your OpenAI account, under API keys.',
  anthropic: 'Make a key in the Anthropic Console, under API keys.',
  google: 'Make a key in Google AI Studio, under Get API key.',
  openai_compatible: 'Only if the server asks for one; Ollama and LM Studio need none.',
};

interface ProviderForm {
  kind: AiProviderKind;
  name: string;
  apiKey: string;
  baseUrl: string;
}

function AddProviderDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<ProviderForm>({
    defaultValues: { kind: 'openai', name: '', apiKey: '', baseUrl: '' },
  });
  const kind = form.watch('kind');
  const compatible = kind === 'openai_compatible';
  const create = useMutation({
    mutationFn: (values: ProviderForm) =>
      api.createAiCredential({
        kind: values.kind,
        name: values.name.trim() === '' ? KIND_BADGES[values.kind] : values.name.trim(),
        ...(values.apiKey.trim() === '' ? {} : { apiKey: values.apiKey.trim() }),
        ...(values.kind === 'openai_compatible' ? { baseUrl: values.baseUrl.trim() } : {}),
      }),
    onSuccess: (created) => {
      queryClient.invalidateQueries({ queryKey: ['ai-credentials'] });
      toast.success(`${created.name} is added`, 'Test the connection, then choose its default model.');
      close();
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const close = () => {
    create.reset();
    form.reset();
    onOpenChange(false);
  };
  const { errors } = form.formState;
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add an AI provider</DialogTitle>
          <DialogDescription>
            The account AI blocks call models with. Its key is stored encrypted and never shown again.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => create.mutate(values))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="provider-kind">Provider</Label>
            <Controller
              control={form.control}
              name="kind"
              render={({ field }) => (
                <Select
                  id="provider-kind"
                  value={field.value}
                  onValueChange={(value) => field.onChange(value as AiProviderKind)}
                  options={AI_PROVIDER_KINDS.map((value) => ({ value, label: KIND_TITLES[value] }))}
                />
              )}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="provider-name">Name</Label>
            <Input
              id="provider-name"
              autoComplete="off"
              placeholder={KIND_BADGES[kind]}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'provider-name-error' : undefined}
              {...form.register('name', {
                maxLength: { value: 100, message: 'Keep the name under 100 characters.' },
              })}
            />
            <FieldError id="provider-name-error" message={errors.name?.message} />
          </div>
          {compatible && (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="provider-url">Base URL</Label>
              <Input
                id="provider-url"
                autoComplete="off"
                inputMode="url"
                placeholder="http://localhost:11434/v1"
                aria-invalid={errors.baseUrl ? true : undefined}
                aria-describedby="provider-url-help"
                {...form.register('baseUrl', {
                  validate: (value) =>
                    /^https?:\/\/\S+$/.test(value.trim()) ||
                    'Give the server’s address, starting with http:// or https://, e.g. http://localhost:11434/v1.',
                })}
              />
              <p id="provider-url-help" className="text-xs text-muted-foreground">
                Where the server answers OpenAI’s chat completions; usually ends in <code>/v1</code>.
              </p>
              <FieldError id="provider-url-error" message={errors.baseUrl?.message} />
            </div>
          )}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="provider-key">API key{compatible ? ' (optional)' : ''}</Label>
            <Input
              id="provider-key"
              type="password"
              autoComplete="off"
              aria-invalid={errors.apiKey ? true : undefined}
              aria-describedby="provider-key-help"
              {...form.register('apiKey', {
                validate: (value) =>
                  compatible || value.trim() !== '' || 'Paste the key from the provider’s dashboard.',
              })}
            />
            <p id="provider-key-help" className="text-xs text-muted-foreground">
              {KEY_HELP[kind]}
            </p>
            <FieldError id="provider-key-error" message={errors.apiKey?.message} />
          </div>
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending && <Spinner label="Adding the provider" />}
              Add provider
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

interface EditForm {
  name: string;
  apiKey: string;
  baseUrl: string;
  defaultModel: string;
}

/** Name, key (replace only), base URL and the default model, picked from the provider's list. */
function EditProviderDialog({ provider, onClose }: { provider: AiCredential; onClose: () => void }) {
  const queryClient = useQueryClient();
  const models = useQuery({
    queryKey: ['ai-models', provider.id],
    queryFn: () => api.aiModels(provider.id),
  });
  const form = useForm<EditForm>({
    defaultValues: {
      name: provider.name,
      apiKey: '',
      baseUrl: provider.baseUrl ?? '',
      defaultModel: provider.defaultModel ?? '',
    },
  });
  const save = useMutation({
    mutationFn: (values: EditForm) =>
      api.updateAiCredential(provider.id, {
        name: values.name.trim(),
        ...(values.apiKey.trim() === '' ? {} : { apiKey: values.apiKey.trim() }),
        ...(provider.kind === 'openai_compatible' ? { baseUrl: values.baseUrl.trim() } : {}),
        defaultModel: values.defaultModel.trim() === '' ? null : values.defaultModel.trim(),
      }),
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: ['ai-credentials'] });
      queryClient.invalidateQueries({ queryKey: ['ai-models', provider.id] });
      toast.success(`${saved.name} is saved`);
      onClose();
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const { errors } = form.formState;
  const listed = models.data?.models ?? [];
  const current = form.watch('defaultModel');
  const options = [...new Set([...(current === '' ? [] : [current]), ...listed])].map((model) => ({
    value: model,
    label: model,
  }));
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{provider.name}</DialogTitle>
          <DialogDescription>{KIND_TITLES[provider.kind]}</DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => save.mutate(values))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="edit-name">Name</Label>
            <Input
              id="edit-name"
              autoComplete="off"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'edit-name-error' : undefined}
              {...form.register('name', {
                validate: (value) => value.trim() !== '' || 'Give the provider a name.',
              })}
            />
            <FieldError id="edit-name-error" message={errors.name?.message} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="edit-model">Default model</Label>
            {models.isPending ? (
              <LoadingState label="Asking the provider for its models…" />
            ) : options.length > 0 ? (
              <Controller
                control={form.control}
                name="defaultModel"
                render={({ field }) => (
                  <Select
                    id="edit-model"
                    value={field.value}
                    onValueChange={field.onChange}
                    placeholder="Choose a model"
                    options={options}
                    aria-describedby="edit-model-help"
                  />
                )}
              />
            ) : (
              <Input
                id="edit-model"
                autoComplete="off"
                placeholder="llama3.2"
                aria-describedby="edit-model-help"
                {...form.register('defaultModel')}
              />
            )}
            <p id="edit-model-help" className="text-xs text-muted-foreground">
              {models.isError
                ? `The models could not be loaded: ${errorMessage(models.error)}`
                : models.data?.problem
                  ? `${models.data.problem} These are the models Parley knows for this provider.`
                  : models.data?.source === 'known'
                    ? 'The server has no list of models: these are the ones Parley knows.'
                    : 'The models this key can use, as the provider lists them.'}
            </p>
          </div>
          {provider.kind === 'openai_compatible' && (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="edit-url">Base URL</Label>
              <Input id="edit-url" autoComplete="off" inputMode="url" {...form.register('baseUrl')} />
            </div>
          )}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="edit-key">New API key</Label>
            <Input
              id="edit-key"
              type="password"
              autoComplete="off"
              placeholder={provider.keySet ? 'Leave empty to keep the saved key' : 'No key saved'}
              {...form.register('apiKey')}
            />
          </div>
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending && <Spinner label="Saving" />}
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function TestResult({ result }: { result: AiConnectionTest }) {
  return (
    <p
      role="status"
      className={
        result.ok
          ? 'mt-2 flex items-start gap-2 rounded-md bg-green-50 px-3 py-2 text-sm text-green-900'
          : 'mt-2 flex items-start gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800'
      }
    >
      {result.ok ? (
        <CheckCircle2 className="mt-0.5 size-4 shrink-0" aria-hidden />
      ) : (
        <XCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
      )}
      <span>{result.message}</span>
    </p>
  );
}

function ProviderRow({
  provider,
  onEdit,
  onRemove,
}: {
  provider: AiCredential;
  onEdit: (provider: AiCredential) => void;
  onRemove: (provider: AiCredential) => void;
}) {
  const test = useMutation({ mutationFn: () => api.testAiCredential(provider.id) });
  return (
    <li className="border-b px-4 py-3 last:border-0">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {/* Wide enough to read on a phone: the buttons go below it rather than squeeze it. */}
        <div className="min-w-56 flex-1">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span>{provider.name}</span>
            <Badge variant="outline">{KIND_BADGES[provider.kind]}</Badge>
            {!provider.keySet && provider.kind !== 'openai_compatible' && (
              <Badge variant="secondary">No key</Badge>
            )}
          </p>
          <p className="mt-1 break-all text-xs text-muted-foreground">
            {provider.defaultModel === null
              ? 'No default model yet'
              : `Default model: ${provider.defaultModel}`}
            {provider.baseUrl === null ? '' : ` · ${provider.baseUrl}`}
            {provider.keySet ? ' · Key saved' : ''}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            variant="outline"
            size="sm"
            disabled={test.isPending}
            aria-label={`Test the connection to ${provider.name}`}
            onClick={() => test.mutate()}
          >
            {test.isPending && <Spinner label="Testing" />}
            Test connection
          </Button>
          <Button
            variant="outline"
            size="sm"
            aria-label={`Edit ${provider.name}`}
            onClick={() => onEdit(provider)}
          >
            Edit
          </Button>
          <Button
            variant="outline"
            size="sm"
            aria-label={`Remove ${provider.name}`}
            onClick={() => onRemove(provider)}
          >
            Remove
          </Button>
        </div>
      </div>
      {test.data !== undefined && <TestResult result={test.data} />}
      {test.isError && <FormAlert>The test could not be run: {errorMessage(test.error)}</FormAlert>}
    </li>
  );
}

export function AiProvidersPage() {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AiCredential | null>(null);
  const [removing, setRemoving] = useState<AiCredential | null>(null);
  const providers = useQuery({
    queryKey: ['ai-credentials', me?.workspaceId],
    queryFn: api.listAiCredentials,
  });
  const remove = useMutation({
    mutationFn: (provider: AiCredential) => api.deleteAiCredential(provider.id),
    onSuccess: (_done, provider) => {
      queryClient.invalidateQueries({ queryKey: ['ai-credentials'] });
      toast.success(`${provider.name} was removed`, 'Its key is deleted.');
      setRemoving(null);
    },
    onError: (error) => {
      toast.error('The provider was not removed', errorMessage(error));
      setRemoving(null);
    },
  });
  return (
    <>
      <PageHeader
        title="AI providers"
        description={
          <>
            The model accounts AI blocks use: OpenAI, Anthropic, Google, or your own server.{' '}
            <LearnMore topic="aiProviders" about="AI providers" />
          </>
        }
        actions={
          <Button onClick={() => setAdding(true)}>
            <Plus aria-hidden /> Add provider
          </Button>
        }
      />
      <div className="px-4 py-4 md:px-8 md:py-6">
        {providers.isPending ? (
          <LoadingState label="Loading providers…" />
        ) : providers.isError ? (
          <ErrorState
            title="AI providers could not be loaded"
            message={errorMessage(providers.error)}
            onRetry={() => providers.refetch()}
          />
        ) : providers.data.length === 0 ? (
          <EmptyState icon={<Sparkles />} title="No AI providers yet">
            Add the account of a model provider, with its API key, to let flows write replies with AI.
          </EmptyState>
        ) : (
          <Card className="overflow-hidden">
            <ul aria-label="AI providers" className="text-sm">
              {providers.data.map((provider) => (
                // A changed provider (a new key, another model) drops the last test's answer.
                <ProviderRow
                  key={`${provider.id}@${provider.updatedAt}`}
                  provider={provider}
                  onEdit={setEditing}
                  onRemove={setRemoving}
                />
              ))}
            </ul>
          </Card>
        )}
        <AiUsageSection />
      </div>
      <AddProviderDialog open={adding} onOpenChange={setAdding} />
      {editing !== null && <EditProviderDialog provider={editing} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}?`}
        description="Its key is deleted. AI blocks that use this provider stop working until they are given another one."
        confirmLabel="Remove provider"
        destructive
        busy={remove.isPending}
        onConfirm={() => removing !== null && remove.mutate(removing)}
      />
    </>
  );
}
