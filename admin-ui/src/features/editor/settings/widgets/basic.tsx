import { Controller, get, useFormContext } from 'react-hook-form';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId, OPTION_LABELS } from '../schema-form';
import { describedBy, FieldShell } from './FieldShell';

const DEFAULT_OPTION = '__default__';

export function useFieldError(path: string): string | undefined {
  const { formState } = useFormContext();
  return (get(formState.errors, path) as { message?: string } | undefined)?.message;
}

const optionalText = (value: unknown) => (value === '' || value === null ? undefined : value);

export function TextWidget({ spec, multiline }: { spec: FieldSpec; multiline?: boolean }) {
  const { register } = useFormContext();
  const { nodeId } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const props = {
    id,
    placeholder: spec.placeholder,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, spec.help, error),
    ...register(spec.path, spec.required ? {} : { setValueAs: optionalText }),
  };
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} required={spec.required}>
      {multiline ? <Textarea rows={3} {...props} /> : <Input autoComplete="off" {...props} />}
    </FieldShell>
  );
}

export function NumberWidget({ spec }: { spec: FieldSpec }) {
  const { register } = useFormContext();
  const { nodeId } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} required={spec.required}>
      <Input
        id={id}
        type="number"
        inputMode="decimal"
        step={spec.schema.type === 'integer' ? 1 : 'any'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, spec.help, error)}
        {...register(spec.path, {
          setValueAs: (value: unknown) =>
            value === '' || value === null || value === undefined ? undefined : Number(value),
        })}
      />
    </FieldShell>
  );
}

export function SelectWidget({ spec }: { spec: FieldSpec }) {
  const { control } = useFormContext();
  const { nodeId, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const values = (spec.schema.enum ?? []).map(String);
  const options = [
    ...(spec.required ? [] : [{ value: DEFAULT_OPTION, label: 'Default' }]),
    ...values.map((value) => ({ value, label: OPTION_LABELS[value] ?? value })),
  ];
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} required={spec.required}>
      <Controller
        control={control}
        name={spec.path}
        render={({ field }) => (
          <Select
            id={id}
            value={
              field.value === undefined ? (spec.required ? undefined : DEFAULT_OPTION) : String(field.value)
            }
            onValueChange={(value) => field.onChange(value === DEFAULT_OPTION ? undefined : value)}
            options={options}
            disabled={readOnly}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, spec.help, error)}
          />
        )}
      />
    </FieldShell>
  );
}

export function CheckboxWidget({ spec }: { spec: FieldSpec }) {
  const { control } = useFormContext();
  const { nodeId, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  return (
    <Controller
      control={control}
      name={spec.path}
      render={({ field }) => (
        <div className="flex items-start gap-2.5">
          <Checkbox
            id={id}
            checked={field.value === true}
            onCheckedChange={(checked) => field.onChange(checked === true ? true : undefined)}
            disabled={readOnly}
            aria-describedby={spec.help ? `${id}-help` : undefined}
            aria-labelledby={`${id}-label`}
            className="mt-0.5"
          />
          <div className="flex flex-col gap-1">
            <label id={`${id}-label`} htmlFor={id} className="text-sm font-medium leading-none">
              {spec.title}
            </label>
            {spec.help && (
              <p id={`${id}-help`} className="text-xs text-muted-foreground">
                {spec.help}
              </p>
            )}
          </div>
        </div>
      )}
    />
  );
}
