import { Controller, useFormContext } from 'react-hook-form';
import { Select } from '@/components/ui/select';
import { isFlowNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { nodeUi } from '../../nodes/registry';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId } from '../schema-form';
import { useFieldError } from './basic';
import { FieldShell } from './FieldShell';

/** The blocks of the flow as options: "n3 · What’s your email?". */
export function useNodeOptions(exclude: string | null) {
  const nodes = useEditorStore((state) => state.nodes);
  return nodes
    .filter(isFlowNode)
    .filter((node) => node.id !== exclude)
    .map((node) => ({
      value: node.id,
      label: `${node.id} · ${nodeUi(node.type).summary(node.data.config).slice(0, 48)}`,
    }));
}

export function NodePickerWidget({ spec }: { spec: FieldSpec }) {
  const { control } = useFormContext();
  const { nodeId, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const options = useNodeOptions(nodeId);
  return (
    <FieldShell
      id={id}
      title={spec.title}
      help={spec.help ?? 'The flow continues at this block.'}
      error={error}
      required
    >
      <Controller
        control={control}
        name={spec.path}
        render={({ field }) => (
          <Select
            id={id}
            value={field.value === '' ? undefined : (field.value as string)}
            onValueChange={field.onChange}
            options={options}
            placeholder="Pick a block"
            disabled={readOnly}
            aria-invalid={error ? true : undefined}
          />
        )}
      />
    </FieldShell>
  );
}
