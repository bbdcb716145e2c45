import { AI_TOOL_PARAMETER_TYPES, type AiTool } from '@parley/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { useId } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { FieldShell } from '../../settings/widgets/FieldShell';
import { AddButton, ListRow, useListField } from '../ai-model/list-field';

type Parameter = NonNullable<AiTool['parameters']>[number];

const PARAMETER_TYPE_WORDS: Record<Parameter['type'], string> = {
  string: 'Text',
  number: 'Number',
  boolean: 'Yes or no',
};

function ParameterRow({
  parameter,
  label,
  readOnly,
  onChange,
  onRemove,
}: {
  parameter: Parameter;
  label: string;
  readOnly: boolean;
  onChange: (parameter: Parameter) => void;
  onRemove: () => void;
}) {
  const requiredId = useId();
  return (
    <li className="flex flex-col gap-1 rounded-md border bg-card p-2">
      <div className="flex items-center gap-1.5">
        <Input
          className="h-8 text-xs"
          aria-label={`Name of ${label}`}
          placeholder="day"
          value={parameter.name}
          disabled={readOnly}
          onChange={(event) => onChange({ ...parameter, name: event.target.value })}
        />
        <Select
          className="h-8 w-28 shrink-0 text-xs"
          aria-label={`Type of ${label}`}
          value={parameter.type}
          disabled={readOnly}
          onValueChange={(type) => onChange({ ...parameter, type: type as Parameter['type'] })}
          options={AI_TOOL_PARAMETER_TYPES.map((type) => ({
            value: type,
            label: PARAMETER_TYPE_WORDS[type],
          }))}
        />
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Remove ${label}`}
          disabled={readOnly}
          onClick={onRemove}
        >
          <Trash2 aria-hidden />
        </Button>
      </div>
      <Input
        className="h-8 text-xs"
        aria-label={`What ${label} is`}
        placeholder="The day to look up, as YYYY-MM-DD"
        value={parameter.description}
        disabled={readOnly}
        onChange={(event) => onChange({ ...parameter, description: event.target.value })}
      />
      <div className="flex items-center gap-2 text-xs text-muted-foreground">
        <Checkbox
          id={requiredId}
          checked={parameter.required === true}
          disabled={readOnly}
          onCheckedChange={(checked) => {
            const { required: _required, ...rest } = parameter;
            onChange(checked === true ? { ...rest, required: true } : rest);
          }}
        />
        <label htmlFor={requiredId}>The model must always fill it in</label>
      </div>
    </li>
  );
}

/**
 * The web services the model may call: name and purpose (what the model reads to decide), the
 * address (yours: the model never changes it) and the parameters it fills in.
 */
export function ToolsWidget({ spec }: { spec: FieldSpec }) {
  const list = useListField<AiTool>('tools');
  const id = fieldId(list.nodeId, spec.path);
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={list.errorAt('')} group>
      {list.items.length > 0 && (
        <ol className="flex flex-col gap-2">
          {list.items.map((tool, index) => {
            const parameters = tool.parameters ?? [];
            const setParameters = (next: Parameter[]) => {
              const { parameters: _parameters, ...rest } = tool;
              list.commit(
                list.items.map((item, i) =>
                  i === index ? (next.length === 0 ? rest : { ...rest, parameters: next }) : item,
                ),
              );
            };
            return (
              <ListRow
                // A row is its position (its name is being typed); a removal remounts the rows.
                key={`${index}-${list.items.length}`}
                label={`tool ${index + 1}`}
                removable={!list.readOnly}
                onRemove={() => list.remove(index)}
                errors={[
                  list.errorAt(`${index}.name`),
                  list.errorAt(`${index}.description`),
                  list.errorAt(`${index}.url`),
                  list.errorAt(`${index}.method`),
                  ...parameters.flatMap((_, p) => [
                    list.errorAt(`${index}.parameters.${p}.name`),
                    list.errorAt(`${index}.parameters.${p}.description`),
                  ]),
                  list.errorAt(`${index}.parameters`),
                ]}
              >
                <Input
                  aria-label={`Name of tool ${index + 1}`}
                  placeholder="free_slots"
                  value={tool.name}
                  disabled={list.readOnly}
                  onChange={(event) => list.edit(index, { name: event.target.value })}
                />
                <Textarea
                  rows={2}
                  className="text-xs"
                  aria-label={`When the model should use tool ${index + 1}`}
                  placeholder="Lists the free visit times of a day."
                  value={tool.description}
                  disabled={list.readOnly}
                  onChange={(event) => list.edit(index, { description: event.target.value })}
                />
                <div className="flex items-center gap-1.5">
                  <Select
                    className="h-9 w-24 shrink-0"
                    aria-label={`Method of tool ${index + 1}`}
                    value={tool.method ?? 'POST'}
                    disabled={list.readOnly}
                    onValueChange={(method) => list.edit(index, { method: method as 'GET' | 'POST' })}
                    options={[
                      { value: 'POST', label: 'POST' },
                      { value: 'GET', label: 'GET' },
                    ]}
                  />
                  <Input
                    aria-label={`Address of tool ${index + 1}`}
                    placeholder="https://example.com/api/slots"
                    value={tool.url}
                    disabled={list.readOnly}
                    onChange={(event) => list.edit(index, { url: event.target.value })}
                  />
                </div>
                <p className="text-xs text-muted-foreground">
                  Parameters the model fills in (sent as{' '}
                  {tool.method === 'GET' ? 'the query string' : 'the JSON body'}):
                </p>
                {parameters.length > 0 && (
                  <ul className="flex flex-col gap-1.5">
                    {parameters.map((parameter, p) => (
                      <ParameterRow
                        // A row is its position (its name is being typed); a removal remounts the rows.
                        key={`${p}-${parameters.length}`}
                        parameter={parameter}
                        label={`parameter ${p + 1} of tool ${index + 1}`}
                        readOnly={list.readOnly}
                        onChange={(next) =>
                          setParameters(parameters.map((item, i) => (i === p ? next : item)))
                        }
                        onRemove={() => setParameters(parameters.filter((_, i) => i !== p))}
                      />
                    ))}
                  </ul>
                )}
                <Button
                  variant="ghost"
                  size="sm"
                  className="self-start"
                  disabled={list.readOnly || parameters.length >= 10}
                  onClick={() =>
                    setParameters([
                      ...parameters,
                      { name: `param_${parameters.length + 1}`, type: 'string', description: '' },
                    ])
                  }
                >
                  <Plus aria-hidden /> Add parameter
                </Button>
              </ListRow>
            );
          })}
        </ol>
      )}
      <AddButton
        disabled={list.readOnly || list.items.length >= 10}
        onClick={() =>
          list.commit([
            ...list.items,
            {
              name: `tool_${list.items.length + 1}`,
              description: 'What this service does, so the model knows when to call it.',
              method: 'POST',
              url: 'https://',
            },
          ])
        }
      >
        Add tool
      </AddButton>
    </FieldShell>
  );
}
