import type { AiCategory } from '@parley/schemas';
import { Input } from '@/components/ui/input';
import { nextId } from '@/core/ids';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { FieldShell } from '../../settings/widgets/FieldShell';
import { AddButton, ListRow, useListField } from '../ai-model/list-field';

/** The categories the model routes by: a name and what it means; each gets its own outcome. */
export function CategoriesWidget({ spec }: { spec: FieldSpec }) {
  const list = useListField<AiCategory>('categories');
  const id = fieldId(list.nodeId, spec.path);
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={list.errorAt('')} group>
      <ol className="flex flex-col gap-2">
        {list.items.map((category, index) => (
          <ListRow
            key={category.id}
            label={`category ${index + 1}`}
            removable={!list.readOnly && list.items.length > 1}
            onRemove={() => list.remove(index)}
            errors={[
              list.errorAt(`${index}.id`),
              list.errorAt(`${index}.name`),
              list.errorAt(`${index}.description`),
            ]}
          >
            <Input
              aria-label={`Name of category ${index + 1}`}
              placeholder="Booking"
              value={category.name}
              disabled={list.readOnly}
              onChange={(event) => list.edit(index, { name: event.target.value })}
            />
            <Input
              className="h-8 text-xs"
              aria-label={`What category ${index + 1} means`}
              placeholder="Wants to book, move or cancel a visit"
              value={category.description}
              disabled={list.readOnly}
              onChange={(event) => list.edit(index, { description: event.target.value })}
            />
          </ListRow>
        ))}
      </ol>
      <AddButton
        disabled={list.readOnly || list.items.length >= 20}
        onClick={() =>
          list.commit([
            ...list.items,
            {
              id: nextId(
                'c',
                list.items.map((category) => category.id),
              ),
              name: `Category ${list.items.length + 1}`,
              description: '',
            },
          ])
        }
      >
        Add category
      </AddButton>
    </FieldShell>
  );
}
