import { isSavedSecret, SAVED_SECRET } from '@parley/schemas';
import { KeyRound, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Controller, useFormContext } from 'react-hook-form';
import { TemplateField } from '@/components/template-field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import type { FlowVariable } from '@/core/variables/flow-variables';
import { useSettingsContext } from '../form-context';
import { type FieldSpec, fieldId } from '../schema-form';
import { useFlowVariables } from '../use-flow-variables';
import { useFieldError } from './basic';
import { FieldShell } from './FieldShell';

/** A header value: typed text, or a value saved on the server that nobody is shown again. */
type HeaderValue = string | typeof SAVED_SECRET;
type Row = { key: string; value: HeaderValue };

function KeyValueRows({
  id,
  value,
  onChange,
  readOnly,
  variables,
}: {
  id: string;
  value: Record<string, HeaderValue> | undefined;
  onChange: (value: Record<string, HeaderValue> | undefined) => void;
  readOnly: boolean;
  /** The flow's variables when the values are templates. */
  variables: readonly FlowVariable[] | null;
}) {
  const [rows, setRows] = useState<Row[]>(() =>
    Object.entries(value ?? {}).map(([key, text]) => ({
      key,
      value: isSavedSecret(text) ? SAVED_SECRET : text,
    })),
  );
  const update = (next: Row[]) => {
    setRows(next);
    const filled = next.filter((row) => row.key.trim() !== '');
    onChange(
      filled.length === 0 ? undefined : Object.fromEntries(filled.map((row) => [row.key.trim(), row.value])),
    );
  };
  return (
    <div className="flex flex-col gap-2">
      {rows.map((row, index) => (
        <div key={index} className="flex items-center gap-2">
          <Input
            // The value may hold a variable and its button: it gets the wider part of the row.
            className="w-2/5 shrink-0"
            aria-label={`Name of header ${index + 1}`}
            placeholder="Authorization"
            value={row.key}
            onChange={(event) =>
              update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))
            }
          />
          {typeof row.value === 'string' && variables !== null ? (
            <TemplateField
              compact
              aria-label={`Value of header ${index + 1}`}
              name={`the value of header ${index + 1}`}
              placeholder="Bearer …"
              value={row.value}
              variables={variables}
              disabled={readOnly}
              onChange={(text) => update(rows.map((r, i) => (i === index ? { ...r, value: text } : r)))}
            />
          ) : typeof row.value === 'string' ? (
            <Input
              aria-label={`Value of header ${index + 1}`}
              placeholder="Bearer …"
              value={row.value}
              onChange={(event) =>
                update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))
              }
            />
          ) : (
            // Saved values stay on the server: shown to nobody, they can only be replaced.
            <div className="flex w-full items-center gap-2">
              <span
                className="flex h-9 flex-1 items-center gap-1.5 rounded-md border border-dashed px-3 text-muted-foreground text-sm"
                title="Saved secret: hidden from everyone, sent as saved"
              >
                <KeyRound aria-hidden className="size-3.5" />
                <span aria-hidden>••••••</span> Saved, hidden
              </span>
              <Button
                variant="outline"
                size="sm"
                aria-label={`Replace the value of header ${index + 1}`}
                onClick={() => update(rows.map((r, i) => (i === index ? { ...r, value: '' } : r)))}
                disabled={readOnly}
              >
                Replace
              </Button>
            </div>
          )}
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Remove header ${index + 1}`}
            onClick={() => update(rows.filter((_, i) => i !== index))}
            disabled={readOnly}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      ))}
      <Button
        id={id}
        variant="outline"
        size="sm"
        className="self-start"
        onClick={() => update([...rows, { key: '', value: '' }])}
        disabled={readOnly}
      >
        <Plus aria-hidden /> Add header
      </Button>
    </div>
  );
}

export function KeyValueWidget({ spec }: { spec: FieldSpec }) {
  const { control } = useFormContext();
  const { nodeId, readOnly, roles } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const error = useFieldError(spec.path);
  const variables = useFlowVariables();
  const templates = roles.templates.has(`${spec.path}.*`);
  return (
    <FieldShell id={id} title={spec.title} help={spec.help} error={error} group>
      <Controller
        control={control}
        name={spec.path}
        render={({ field }) => (
          <KeyValueRows
            id={id}
            value={field.value as Record<string, HeaderValue> | undefined}
            onChange={field.onChange}
            readOnly={readOnly}
            variables={templates ? variables : null}
          />
        )}
      />
    </FieldShell>
  );
}
