import { Input } from '@/components/ui/input';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { FieldShell } from '../../settings/widgets/FieldShell';
import { AddButton, ListRow, useListField } from '../ai-model/list-field';

interface SavedVariable {
  name: string;
  description: string;
}

/** The variables the model may fill while it talks, each with what it should hold. */
export function SaveVariablesWidget({ spec }: { spec: FieldSpec }) {
  const list = useListField<SavedVariable>('saveVariables');
  const id = fieldId(list.nodeId, spec.path);
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={list.errorAt('')} group>
      {list.items.length > 0 && (
        <ol className="flex flex-col gap-2">
          {list.items.map((variable, index) => (
            <ListRow
              // A row is its position (its name is being typed); a removal remounts the rows.
              key={`${index}-${list.items.length}`}
              label={`variable ${index + 1}`}
              removable={!list.readOnly}
              onRemove={() => list.remove(index)}
              errors={[list.errorAt(`${index}.name`), list.errorAt(`${index}.description`)]}
            >
              <Input
                aria-label={`Name of variable ${index + 1}`}
                placeholder="visit_day"
                value={variable.name}
                disabled={list.readOnly}
                onChange={(event) => list.edit(index, { name: event.target.value })}
              />
              <Input
                className="h-8 text-xs"
                aria-label={`What variable ${index + 1} holds`}
                placeholder="The day the contact picked, as YYYY-MM-DD"
                value={variable.description}
                disabled={list.readOnly}
                onChange={(event) => list.edit(index, { description: event.target.value })}
              />
            </ListRow>
          ))}
        </ol>
      )}
      <AddButton
        disabled={list.readOnly || list.items.length >= 20}
        onClick={() =>
          list.commit([...list.items, { name: `note_${list.items.length + 1}`, description: '' }])
        }
      >
        Add variable
      </AddButton>
    </FieldShell>
  );
}
