import {
  API_KEY_LIFETIMES_DAYS,
  API_KEY_ROLES,
  type ApiKey,
  type ApiKeyRole,
  type CreatedApiKey,
  keyRoleCan,
  ROLE_TITLES,
} from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus } from 'lucide-react';
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
import { formatWhen } from '@/lib/format';

/** What a key with this role may do, from the role table the API enforces. */
function KeyRoleDescription({ role, id }: { role: ApiKeyRole; id: string }) {
  return (
    <div id={id} className="text-xs text-muted-foreground">
      <p>A key with this role can:</p>
      <ul className="mt-1 list-disc pl-4">
        {keyRoleCan(role).map((can) => (
          <li key={can}>{can}</li>
        ))}
      </ul>
      <p className="mt-1">No key can manage people or keys, or change the workspace’s settings.</p>
    </div>
  );
}

const NEVER = 'never';
const EXPIRY_OPTIONS = [
  ...API_KEY_LIFETIMES_DAYS.map((days) => ({ value: String(days), label: `In ${days} days` })),
  { value: NEVER, label: 'Never (until revoked)' },
];

interface NewKeyForm {
  name: string;
  role: ApiKeyRole;
  expiry: string;
}

/** Makes a key, then shows it once with a copy button. */
function CreateKeyDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const form = useForm<NewKeyForm>({ defaultValues: { name: '', role: 'viewer', expiry: '90' } });
  const create = useMutation({
    mutationFn: (values: NewKeyForm) =>
      api.createApiKey(
        values.name.trim(),
        values.role,
        values.expiry === NEVER ? null : Number(values.expiry),
      ),
    onSuccess: (key) => {
      queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      setCreated(key);
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const close = () => {
    setCreated(null);
    create.reset();
    form.reset();
    onOpenChange(false);
  };
  const { errors } = form.formState;
  const role = form.watch('role');
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent>
        {created === null ? (
          <>
            <DialogHeader>
              <DialogTitle>New API key</DialogTitle>
              <DialogDescription>
                For a script or an integration that reads from or publishes to this workspace. It acts with
                the role you choose, and what it does is recorded under your name.
              </DialogDescription>
            </DialogHeader>
            <form
              className="flex flex-col gap-4"
              noValidate
              onSubmit={form.handleSubmit((values) => create.mutate(values))}
            >
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="key-name">Name</Label>
                <Input
                  id="key-name"
                  autoComplete="off"
                  placeholder="Nightly export"
                  aria-invalid={errors.name ? true : undefined}
                  aria-describedby={errors.name ? 'key-name-error' : undefined}
                  {...form.register('name', {
                    validate: (value) =>
                      value.trim() !== '' || 'Give the key a name that says what it is for.',
                    maxLength: { value: 100, message: 'Keep the name under 100 characters.' },
                  })}
                />
                <FieldError id="key-name-error" message={errors.name?.message} />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label id="key-role-label" htmlFor="key-role">
                  Role
                </Label>
                <Controller
                  control={form.control}
                  name="role"
                  render={({ field }) => (
                    <Select
                      id="key-role"
                      value={field.value}
                      onValueChange={(value) => field.onChange(value as ApiKeyRole)}
                      options={API_KEY_ROLES.map((value) => ({ value, label: ROLE_TITLES[value] }))}
                      aria-describedby="key-role-help"
                    />
                  )}
                />
                <KeyRoleDescription id="key-role-help" role={role} />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label id="key-expiry-label" htmlFor="key-expiry">
                  Expires
                </Label>
                <Controller
                  control={form.control}
                  name="expiry"
                  render={({ field }) => (
                    <Select
                      id="key-expiry"
                      value={field.value}
                      onValueChange={field.onChange}
                      options={EXPIRY_OPTIONS}
                    />
                  )}
                />
              </div>
              {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
              <DialogFooter>
                <Button variant="outline" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending && <Spinner label="Making the key" />}
                  Make key
                </Button>
              </DialogFooter>
            </form>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Copy your key now</DialogTitle>
              <DialogDescription>
                This is the only time it is shown: Parley keeps only a fingerprint of it. Store it where the
                script or integration reads its secrets, and never in a shared document. If it is lost, revoke
                it and make another.
              </DialogDescription>
            </DialogHeader>
            <Input
              readOnly
              value={created.key}
              aria-label="API key"
              className="font-mono text-xs"
              onFocus={(event) => event.currentTarget.select()}
            />
            <DialogFooter>
              <Button
                variant="outline"
                onClick={() =>
                  navigator.clipboard
                    .writeText(created.key)
                    .then(() => toast.success('Key copied', 'Paste it where your script keeps its secrets.'))
                    .catch((error: unknown) => toast.error('Could not copy the key', errorMessage(error)))
                }
              >
                Copy key
              </Button>
              <Button onClick={close}>Done</Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

const STATE_BADGE: Record<ApiKey['state'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  const inactive = apiKey.state !== 'active';
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b px-4 py-3 last:border-0">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          <span className={inactive ? 'text-muted-foreground' : undefined}>{apiKey.name}</span>
          <Badge variant="outline">{ROLE_TITLES[apiKey.role]}</Badge>
          {inactive && <Badge variant="secondary">{STATE_BADGE[apiKey.state]}</Badge>}
        </p>
        <p className="mt-1 text-xs text-muted-foreground">
          <code className="font-mono">{apiKey.prefix}_…</code>
          {' · '}
          {apiKey.lastUsedAt === null ? 'Never used' : `Last used ${formatWhen(apiKey.lastUsedAt)}`}
          {' · '}
          Made {formatWhen(apiKey.createdAt)}
          {apiKey.createdBy === null ? '' : ` by ${apiKey.createdBy}`}
          {' · '}
          {apiKey.revokedAt !== null
            ? `Revoked ${formatWhen(apiKey.revokedAt)}`
            : apiKey.expiresAt === null
              ? 'Never expires'
              : `${apiKey.state === 'expired' ? 'Expired' : 'Expires'} ${formatWhen(apiKey.expiresAt)}`}
        </p>
      </div>
      {apiKey.state !== 'revoked' && (
        <Button
          variant="outline"
          size="sm"
          aria-label={`Revoke the key ${apiKey.name}`}
          onClick={() => onRevoke(apiKey)}
        >
          Revoke
        </Button>
      )}
    </li>
  );
}

export function ApiKeysPage() {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const keys = useQuery({ queryKey: ['api-keys', me?.workspaceId], queryFn: api.listApiKeys });
  const revoke = useMutation({
    mutationFn: (key: ApiKey) => api.revokeApiKey(key.id),
    onSuccess: (_done, key) => {
      queryClient.invalidateQueries({ queryKey: ['api-keys'] });
      toast.success(`${key.name} was revoked`, 'It stopped working at once.');
      setRevoking(null);
    },
    onError: (error) => {
      toast.error('The key was not revoked', errorMessage(error));
      setRevoking(null);
    },
  });
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys let scripts and integrations read, export or publish without a person’s password.{' '}
            <LearnMore topic="apiKeys" about="API keys" />
          </>
        }
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden /> New key
          </Button>
        }
      />
      <div className="px-4 py-4 md:px-8 md:py-6">
        {keys.isPending ? (
          <LoadingState label="Loading keys…" />
        ) : keys.isError ? (
          <ErrorState
            title="Keys could not be loaded"
            message={errorMessage(keys.error)}
            onRetry={() => keys.refetch()}
          />
        ) : keys.data.length === 0 ? (
          <EmptyState icon={<KeyRound />} title="No API keys yet">
            Make one for a script that exports responses, or for CI that publishes flows.
          </EmptyState>
        ) : (
          <Card className="overflow-hidden">
            <ul aria-label="API keys" className="text-sm">
              {keys.data.map((key) => (
                <KeyRow key={key.id} apiKey={key} onRevoke={setRevoking} />
              ))}
            </ul>
          </Card>
        )}
      </div>
      <CreateKeyDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke the key ${revoking?.name ?? ''}?`}
        description="Whatever uses it is refused from its next request, for good. This cannot be undone: to go on, make a new key and put it in place of this one."
        confirmLabel="Revoke key"
        destructive
        busy={revoke.isPending}
        onConfirm={() => revoking !== null && revoke.mutate(revoking)}
      />
    </>
  );
}
