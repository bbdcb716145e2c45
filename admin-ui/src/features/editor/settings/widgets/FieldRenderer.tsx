import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId, fieldSpecs } from '../schema-form';
import { AnswerTypeWidget } from './AnswerTypeWidget';
import { BranchesWidget } from './BranchesWidget';
import { CheckboxWidget, NumberWidget, SelectWidget, TextWidget, useFieldError } from './basic';
import { ChoicesWidget } from './ChoicesWidget';
import { FieldShell } from './FieldShell';
import { KeyValueWidget } from './KeyValueWidget';
import { NodePickerWidget } from './NodePickerWidget';

/** A group of settings (retry, attachment, form preview) with its own fields inside. */
function ObjectWidget({ spec }: { spec: FieldSpec }) {
  const { nodeId } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  // Inside an optional group (retry, attachment) nothing is required until the group is used.
  const children = fieldSpecs(spec.schema, [], {}, `${spec.path}.`).map((child) => ({
    ...child,
    required: spec.required && child.required,
  }));
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} group>
      <div className="flex flex-col gap-3 rounded-lg border bg-muted/30 p-3">
        {children.map((child) => (
          <FieldRenderer key={child.path} spec={child} />
        ))}
      </div>
    </FieldShell>
  );
}

/** The widget a field's ui_schema asks for (or its schema suggests). */
export function FieldRenderer({ spec }: { spec: FieldSpec }) {
  switch (spec.widget) {
    case 'textarea':
      return <TextWidget spec={spec} multiline />;
    case 'number':
      return <NumberWidget spec={spec} />;
    case 'select':
      return <SelectWidget spec={spec} />;
    case 'checkbox':
      return <CheckboxWidget spec={spec} />;
    case 'keyValue':
      return <KeyValueWidget spec={spec} />;
    case 'choices':
      return <ChoicesWidget spec={spec} />;
    case 'conditionBranches':
      return <BranchesWidget spec={spec} />;
    case 'answerType':
      return <AnswerTypeWidget spec={spec} />;
    case 'node':
      return <NodePickerWidget spec={spec} />;
    case 'object':
      return <ObjectWidget spec={spec} />;
    default:
      return <TextWidget spec={spec} />;
  }
}
