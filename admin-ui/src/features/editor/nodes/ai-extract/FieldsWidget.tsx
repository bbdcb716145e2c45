import { AI_FIELD_TYPES, type AiField, type AiFieldType } from '@parley/schemas';
import { useId } from 'react';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { FieldShell } from '../../settings/widgets/FieldShell';
import { AddButton, ListRow, useListField } from '../ai-model/list-field';

export const FIELD_TYPE_WORDS: Record<AiFieldType, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  yes_no: 'Yes or no',
  email: 'Email',
  choice: 'One of a list',
};

function optionsText(options: string[] | undefined): string {
  return (options ?? []).join(', ');
}

function parseOptions(text: string): string[] {
  return text
    .split(',')
    .map((option) => option.trim())
    .filter((option) => option !== '');
}

/** One field's settings; the options of a choice are typed as a comma-separated list. */
function FieldRow({
  field,
  index,
  list,
}: {
  field: AiField;
  index: number;
  list: ReturnType<typeof useListField<AiField>>;
}) {
  const requiredId = useId();
  const edit = (changes: Partial<AiField>) => list.edit(index, changes);
  return (
    <ListRow
      label={`field ${index + 1}`}
      removable={!list.readOnly && list.items.length > 1}
      onRemove={() => list.remove(index)}
      errors={[
        list.errorAt(`${index}.name`),
        list.errorAt(`${index}.description`),
        list.errorAt(`${index}.options`),
        list.errorAt(`${index}.type`),
      ]}
    >
      <div className="flex items-center gap-2">
        <Input
          aria-label={`Variable of field ${index + 1}`}
          placeholder="variable_name"
          value={field.name}
          disabled={list.readOnly}
          onChange={(event) => edit({ name: event.target.value })}
        />
        <Select
          className="w-36 shrink-0"
          aria-label={`Type of field ${index + 1}`}
          value={field.type}
          disabled={list.readOnly}
          onValueChange={(type) => {
            const { options: _options, ...rest } = field;
            list.commit(
              list.items.map((item, i) =>
                i === index
                  ? type === 'choice'
                    ? { ...rest, type: 'choice', options: field.options ?? [] }
                    : { ...rest, type: type as AiFieldType }
                  : item,
              ),
            );
          }}
          options={AI_FIELD_TYPES.map((type) => ({ value: type, label: FIELD_TYPE_WORDS[type] }))}
        />
      </div>
      <Input
        className="h-8 text-xs"
        aria-label={`What field ${index + 1} holds`}
        placeholder="What to look for, e.g. the service the contact asks for"
        value={field.description}
        disabled={list.readOnly}
        onChange={(event) => edit({ description: event.target.value })}
      />
      {field.type === 'choice' && (
        <Input
          className="h-8 text-xs"
          aria-label={`Options of field ${index + 1}, separated by commas`}
          placeholder="Cleaning, Check-up, Whitening"
          defaultValue={optionsText(field.options)}
          disabled={list.readOnly}
          onChange={(event) => edit({ options: parseOptions(event.target.value) })}
        />
      )}
      <div className="flex items-center gap-2 text-xs text-muted-foreground">
        <Checkbox
          id={requiredId}
          checked={field.required === true}
          disabled={list.readOnly}
          onCheckedChange={(checked) => {
            const { required: _required, ...rest } = field;
            list.commit(
              list.items.map((item, i) =>
                i === index ? (checked === true ? { ...rest, required: true } : rest) : item,
              ),
            );
          }}
        />
        <label htmlFor={requiredId}>Required: without it, the block leaves by “Not found”</label>
      </div>
    </ListRow>
  );
}

/** What the model fills in: each field a variable, its meaning, and the kind of value it takes. */
export function FieldsWidget({ spec }: { spec: FieldSpec }) {
  const list = useListField<AiField>('fields');
  const id = fieldId(list.nodeId, spec.path);
  return (
    <FieldShell
      id={id}
      title={spec.title}
      help="Each field is saved to its variable; a value that does not fit its type is refused, never saved."
      error={list.errorAt('')}
      group
    >
      <ol className="flex flex-col gap-2">
        {list.items.map((field, index) => (
          // Names change as they are typed, so a row is its position; a removal remounts the rows so
          // the typed options text follows its field.
          <FieldRow key={`${index}-${list.items.length}`} field={field} index={index} list={list} />
        ))}
      </ol>
      <AddButton
        disabled={list.readOnly || list.items.length >= 20}
        onClick={() =>
          list.commit([
            ...list.items,
            { name: `field_${list.items.length + 1}`, description: '', type: 'text' },
          ])
        }
      >
        Add field
      </AddButton>
    </FieldShell>
  );
}
