import { type Choice, looselyEqual } from '@parley/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** “Is one of” on a choice question: its choices ticked by label, stored as their values, in order. */
export function ChoiceChecklist({
  label,
  choices,
  value,
  onChange,
}: {
  label: string;
  choices: Choice[];
  value: unknown;
  onChange: (values: Choice['value'][]) => void;
}) {
  const id = useId();
  const picked = asList(value);
  const isPicked = (choice: Choice) => picked.some((item) => looselyEqual(choice.value, item));
  return (
    <fieldset className="flex flex-col gap-1.5 rounded-md bg-muted/40 p-2">
      <legend className="sr-only">{label}</legend>
      {choices.map((choice, index) => (
        <div key={choice.id} className="flex items-center gap-2">
          <Checkbox
            id={`${id}-${index}`}
            checked={isPicked(choice)}
            onCheckedChange={(checked) =>
              onChange(
                choices
                  .filter((item) => (item === choice ? checked === true : isPicked(item)))
                  .map((item) => item.value),
              )
            }
          />
          <label htmlFor={`${id}-${index}`} className="text-xs">
            {choice.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** “Is one of” on any other variable: the values one per line, added and removed by button. */
export function ValueList({
  label,
  value,
  onChange,
}: {
  label: string;
  value: unknown;
  onChange: (values: string[]) => void;
}) {
  // Rows stay while being filled in; only filled ones are stored.
  const [rows, setRows] = useState<string[]>(() => {
    const stored = asList(value).map(String);
    return stored.length === 0 ? [''] : stored;
  });
  const update = (next: string[]) => {
    setRows(next);
    onChange(next.map((row) => row.trim()).filter((row) => row !== ''));
  };
  return (
    <div className="flex flex-col gap-1.5">
      {rows.map((row, index) => (
        <div key={index} className="flex items-center gap-1.5">
          <Input
            className="h-8 text-xs"
            aria-label={`Value ${index + 1} of ${label}`}
            placeholder={index === 0 ? 'a value' : 'another value'}
            value={row}
            onChange={(event) => update(rows.map((item, i) => (i === index ? event.target.value : item)))}
          />
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Remove value ${index + 1} of ${label}`}
            disabled={rows.length <= 1}
            onClick={() => update(rows.filter((_, i) => i !== index))}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <Button
        variant="ghost"
        size="sm"
        className="h-7 self-start text-xs"
        onClick={() => update([...rows, ''])}
      >
        <Plus aria-hidden /> Add value
      </Button>
    </div>
  );
}
