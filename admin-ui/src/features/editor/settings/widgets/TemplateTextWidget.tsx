import { Controller, useFormContext } from 'react-hook-form';
import { TemplateField } from '@/components/template-field';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId } from '../schema-form';
import { useFlowVariables } from '../use-flow-variables';
import { useFieldError } from './basic';
import { describedBy, FieldShell } from './FieldShell';

/** A settings text holding `{{…}}` placeholders, with the flow's variables a `{{` or a click away. */
export function TemplateTextWidget({ spec, multiline }: { spec: FieldSpec; multiline?: boolean }) {
  const { control } = useFormContext();
  const { nodeId, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const variables = useFlowVariables();
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} required={spec.required}>
      <Controller
        control={control}
        name={spec.path}
        render={({ field }) => (
          <TemplateField
            id={id}
            name={spec.title}
            multiline={multiline === true}
            value={(field.value as string | undefined) ?? ''}
            onChange={field.onChange}
            variables={variables}
            placeholder={spec.placeholder}
            disabled={readOnly}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(id, spec.help, error)}
          />
        )}
      />
    </FieldShell>
  );
}
