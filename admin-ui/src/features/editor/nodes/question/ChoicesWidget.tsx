import type { Choice, QuestionConfig } from '@parley/schemas';
import { Plus, Trash2 } from 'lucide-react';
import { get, useFormContext } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { newChoice, relabelChoice, withChoices } from '@/core/questions/answer-kinds';
import { useSettingsContext } from '../../settings/form-context';
import { type FieldSpec, fieldId } from '../../settings/schema-form';
import { FieldShell } from '../../settings/widgets/FieldShell';

/** The options of a choice question: label shown to people, value stored; each gets its own outcome. */
export function ChoicesWidget({ spec }: { spec: FieldSpec }) {
  const { getValues, watch, formState } = useFormContext();
  const { nodeId, patch, readOnly } = useSettingsContext();
  const id = fieldId(nodeId, spec.path);
  const choices = (watch('choices') as Choice[] | undefined) ?? [];
  const groupError = (get(formState.errors, 'choices') as { message?: string } | undefined)?.message;

  const commit = (next: Choice[]) => {
    const config = withChoices(getValues() as QuestionConfig, next);
    patch({ choices: config.choices, answer: config.answer }, 'choices');
  };
  const edit = (index: number, changes: Partial<Choice>) =>
    commit(choices.map((choice, i) => (i === index ? { ...choice, ...changes } : choice)));

  return (
    <FieldShell
      id={id}
      title={spec.title}
      help="Each choice can lead somewhere else: connect its dot on the block."
      error={groupError}
      group
    >
      <ol className="flex flex-col gap-2">
        {choices.map((choice, index) => {
          const labelError = (
            get(formState.errors, `choices.${index}.label`) as { message?: string } | undefined
          )?.message;
          const valueError = (
            get(formState.errors, `choices.${index}.value`) as { message?: string } | undefined
          )?.message;
          return (
            <li key={choice.id} className="rounded-md border bg-muted/40 p-2">
              <div className="flex items-center gap-2">
                <span className="w-5 text-right text-xs text-muted-foreground" aria-hidden>
                  {index + 1}.
                </span>
                <Input
                  aria-label={`Choice ${index + 1} label`}
                  aria-invalid={labelError ? true : undefined}
                  value={choice.label}
                  placeholder="Label"
                  onChange={(event) => edit(index, relabelChoice(choice, event.target.value))}
                />
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Remove choice ${index + 1}`}
                  disabled={readOnly || choices.length <= 1}
                  onClick={() => commit(choices.filter((_, i) => i !== index))}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
              <div className="mt-1.5 flex items-center gap-2 pl-7 pr-10">
                <label htmlFor={`${id}-value-${index}`} className="text-xs text-muted-foreground">
                  Saved as
                </label>
                <Input
                  id={`${id}-value-${index}`}
                  className="h-7 text-xs"
                  aria-invalid={valueError ? true : undefined}
                  value={String(choice.value)}
                  onChange={(event) => edit(index, { value: event.target.value })}
                />
              </div>
              {(labelError || valueError) && (
                <p role="alert" className="mt-1 pl-7 text-xs text-destructive">
                  {labelError ?? valueError}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <Button
        variant="outline"
        size="sm"
        className="self-start"
        disabled={readOnly}
        onClick={() => commit([...choices, newChoice(choices, `Option ${choices.length + 1}`)])}
      >
        <Plus aria-hidden /> Add choice
      </Button>
    </FieldShell>
  );
}
