import { useFormContext } from 'react-hook-form';
import { Link } from 'react-router';
import { Select } from '@/components/ui/select';
import { errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { useSettingsContext } from '../../settings/form-context';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { useFieldError } from '../../settings/widgets/basic';
import { describedBy, FieldShell } from '../../settings/widgets/FieldShell';
import { PROVIDER_KIND_NAMES, useAiProviders } from './use-ai-providers';

/** Where to add a provider, in words for whoever reads it: admins get the link, others whom to ask. */
function AddProviderHint({ admin, none }: { admin: boolean; none: boolean }) {
  const start = none ? 'This workspace has no AI provider yet.' : 'Need another provider?';
  if (!admin) return <>{start} Ask an admin of this workspace to add one on the AI providers page.</>;
  return (
    <>
      {start}{' '}
      <Link to="/ai-providers" className="font-medium text-primary underline underline-offset-2">
        Add one on the AI providers page
      </Link>
      {none ? ', then pick it here.' : '.'}
    </>
  );
}

/** The block's AI provider, picked from the workspace's providers by name and kind. */
export function ProviderWidget({ spec }: { spec: FieldSpec }) {
  const { watch } = useFormContext();
  const { nodeId, patch, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const admin = useSession((state) => hasRole(state.me, 'admin'));
  const editor = useSession((state) => hasRole(state.me, 'editor'));
  const providers = useAiProviders();
  const current = (watch('credentialId') as string | undefined) ?? '';
  const model = (watch('model') as string | undefined) ?? '';
  const items = providers.data ?? [];
  const known = items.some((provider) => provider.id === current);

  const pick = (picked: string) => {
    const provider = items.find((item) => item.id === picked);
    if (provider === undefined) return;
    const previous = items.find((item) => item.id === current);
    // A model belongs to its kind of provider: switching kind takes the new provider's default. A
    // block whose provider is gone (a copied flow) keeps its model: the list shows if it is offered.
    const keepModel = model !== '' && (previous === undefined || previous.kind === provider.kind);
    patch(
      { credentialId: provider.id, model: keepModel ? model : (provider.defaultModel ?? '') },
      'credentialId',
    );
  };

  if (!editor) {
    return (
      <FieldShell id={id} title={spec.title} error={error}>
        <p id={id} className="text-sm text-muted-foreground">
          {current === '' ? 'No provider picked.' : 'Set. Editors see which provider it is.'}
        </p>
      </FieldShell>
    );
  }
  // The hint below the picker stands for the field's help (it says where providers come from).
  const help = providers.isSuccess ? 'hint' : undefined;
  return (
    <FieldShell id={id} title={spec.title} error={error} required={spec.required}>
      {providers.isPending ? (
        <p id={id} className="text-sm text-muted-foreground">
          Loading this workspace’s AI providers…
        </p>
      ) : providers.isError ? (
        <p id={id} role="alert" className="text-sm text-destructive">
          The AI providers could not be loaded: {errorMessage(providers.error)}
        </p>
      ) : (
        <Select
          id={id}
          value={known ? current : undefined}
          disabled={readOnly || items.length === 0}
          placeholder={
            items.length === 0
              ? 'No provider to pick'
              : current === '' || known
                ? 'Pick a provider'
                : 'Not set up in this workspace: pick one'
          }
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, help, error)}
          onValueChange={pick}
          options={items.map((provider) => ({
            value: provider.id,
            label: `${provider.name} · ${PROVIDER_KIND_NAMES[provider.kind]}`,
          }))}
        />
      )}
      {providers.isSuccess && (
        <p id={`${id}-help`} className="text-xs text-muted-foreground">
          <AddProviderHint admin={admin} none={items.length === 0} />
        </p>
      )}
    </FieldShell>
  );
}
