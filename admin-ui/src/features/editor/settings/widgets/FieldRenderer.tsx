import type { SettingsWidget } from '@parley/schemas';
import type { NodeWidget } from '../../nodes/node-ui';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId, fieldSpecs } from '../schema-form';
import { CheckboxWidget, NumberWidget, SelectWidget, TextWidget, useFieldError } from './basic';
import { FieldShell } from './FieldShell';
import { KeyValueWidget } from './KeyValueWidget';
import { NodePickerWidget } from './NodePickerWidget';
import { TemplateTextWidget } from './TemplateTextWidget';
import { VariableNameWidget } from './VariableNameWidget';

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

/** The field drawn by the node type's own widget; a missing one is a bug, not a reason for a text box. */
function OwnWidget({ spec }: { spec: FieldSpec }) {
  const { widgets } = useSettingsContext();
  const Widget = widgets[spec.name];
  if (Widget === undefined) throw new Error(`The node type has no widget for its field “${spec.name}”`);
  return <Widget spec={spec} />;
}

/** A text field: a template gets the variable picker, a stored variable's name the names in use. */
function TextField({ spec, multiline }: { spec: FieldSpec; multiline?: boolean }) {
  const { roles } = useSettingsContext();
  if (roles.templates.has(spec.path))
    return <TemplateTextWidget spec={spec} multiline={multiline === true} />;
  if (roles.names.has(spec.path)) return <VariableNameWidget spec={spec} />;
  return <TextWidget spec={spec} multiline={multiline === true} />;
}

const widgets: Record<SettingsWidget, NodeWidget> = {
  text: TextField,
  textarea: ({ spec }) => <TextField spec={spec} multiline />,
  number: NumberWidget,
  select: SelectWidget,
  checkbox: CheckboxWidget,
  keyValue: KeyValueWidget,
  node: NodePickerWidget,
  object: ObjectWidget,
  own: OwnWidget,
};

/** The widget a field's ui_schema asks for (or its schema suggests). */
export function FieldRenderer({ spec }: { spec: FieldSpec }) {
  const Widget = widgets[spec.widget];
  return <Widget spec={spec} />;
}
