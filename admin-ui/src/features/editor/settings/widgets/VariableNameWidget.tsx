import { Controller, useFormContext } from 'react-hook-form';
import { NameCombobox } from '@/components/name-combobox';
import { suggestedName } from '@/core/variables/variable-name';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId } from '../schema-form';
import { useFlowVariables } from '../use-flow-variables';
import { useFieldError } from './basic';
import { describedBy, FieldShell } from './FieldShell';

/** The words shown for a name the schema refuses: what to do, with a name that would work. */
function nameMessage(name: string, error: string | undefined): string | undefined {
  if (error === undefined) return undefined;
  if (name.trim() === '') return 'Give the variable a name, e.g. segment.';
  const suggestion = suggestedName(name);
  return suggestion === '' || suggestion === name ? error : `${error} For example “${suggestion}”.`;
}

/** The name of a variable this block stores: one the flow already uses, or a new one. */
export function VariableNameWidget({ spec }: { spec: FieldSpec }) {
  const { control, watch } = useFormContext();
  const { nodeId, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = nameMessage((watch(spec.path) as string | undefined) ?? '', useFieldError(spec.path));
  // Only names this block can store: contact and flow values are read-only.
  const names = useFlowVariables(nodeId).filter((variable) => !variable.name.includes('.'));
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} required={spec.required}>
      <Controller
        control={control}
        name={spec.path}
        render={({ field }) => (
          <NameCombobox
            id={id}
            value={(field.value as string | undefined) ?? ''}
            onChange={field.onChange}
            names={names}
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
