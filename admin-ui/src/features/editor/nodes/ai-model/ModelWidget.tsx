import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { errorMessage } from '@/infrastructure/api';
import { useSettingsContext } from '../../settings/form-context';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { useFieldError } from '../../settings/widgets/basic';
import { describedBy, FieldShell } from '../../settings/widgets/FieldShell';
import { useAiModels, useAiProviders } from './use-ai-providers';

/** The select's entry that lets a model name be typed (a local server's model, a new model). */
const TYPED = '__typed__';

/**
 * The block's model: picked from the provider's list, or typed (a local server may list none, a
 * new model may not be listed yet).
 */
export function ModelWidget({ spec }: { spec: FieldSpec }) {
  const { watch } = useFormContext();
  const { nodeId, patch, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const providerId = (watch('credentialId') as string | undefined) ?? '';
  const model = (watch('model') as string | undefined) ?? '';
  const imageFrom = watch('imageFrom') as string | undefined;
  const providers = useAiProviders();
  const provider = providers.data?.find((item) => item.id === providerId);
  const models = useAiModels(provider === undefined ? '' : providerId);
  const listed = models.data?.models ?? [];
  const [typing, setTyping] = useState(false);
  const typed = typing || (model !== '' && models.isSuccess && !listed.includes(model));
  const setModel = (name: string) => patch({ model: name }, 'model');

  const notes: string[] = [];
  if (providerId === '') notes.push('Pick a provider first: its models are listed here.');
  if (models.isError)
    notes.push(`Its models could not be listed: ${errorMessage(models.error)} Type the model’s name.`);
  if (models.data?.problem)
    notes.push(
      `Showing common models, since the provider’s own list could not be read: ${models.data.problem}`,
    );
  if (models.isSuccess && listed.length === 0)
    notes.push('The provider lists no models: type the name of one it serves.');
  if (imageFrom !== undefined && imageFrom !== '')
    notes.push('This block reads a photo: pick a model that sees images (Parley cannot check this for you).');
  const help = notes.length === 0 ? undefined : notes.join(' ');

  if (provider !== undefined && models.isPending) {
    return (
      <FieldShell id={id} title={spec.title} error={error} required={spec.required}>
        <p id={id} className="text-sm text-muted-foreground">
          Loading the models of {provider.name}…
        </p>
      </FieldShell>
    );
  }
  return (
    <FieldShell id={id} title={spec.title} help={help} error={error} required={spec.required}>
      {listed.length > 0 && (
        <Select
          id={id}
          value={typed ? TYPED : model === '' ? undefined : model}
          disabled={readOnly}
          placeholder="Pick a model"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, help, error)}
          onValueChange={(picked) => {
            if (picked === TYPED) {
              setTyping(true);
              return;
            }
            setTyping(false);
            setModel(picked);
          }}
          options={[
            ...listed.map((name) => ({ value: name, label: name })),
            { value: TYPED, label: 'Another model: type its name' },
          ]}
        />
      )}
      {(typed || listed.length === 0) && (
        <Input
          id={listed.length > 0 ? `${id}-typed` : id}
          autoComplete="off"
          aria-label={listed.length > 0 ? 'Model name' : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, help, error)}
          placeholder={provider?.kind === 'openai_compatible' ? 'llama3.2' : 'gpt-4o-mini'}
          disabled={readOnly}
          value={model}
          onChange={(event) => setModel(event.target.value.trim())}
        />
      )}
    </FieldShell>
  );
}
