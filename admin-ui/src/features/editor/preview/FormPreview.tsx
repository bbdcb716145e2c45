import {
  createAjv,
  deriveForm,
  type FieldUiSchema,
  type FlowDocument,
  problemsFromAjv,
} from '@parley/schemas';
import { ClipboardList, MapPin, Paperclip, Star, X } from 'lucide-react';
import { type ReactNode, useMemo, useState } from 'react';
import { Controller, type Resolver, useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { EmptyState } from '@/components/ui/states';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/cn';

const ajv = createAjv({ strict: false });
type Answers = Record<string, unknown>;

function cleanAnswers(values: Answers, properties: Record<string, Record<string, unknown>>): Answers {
  const out: Answers = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const type = properties[key]?.type;
    out[key] =
      (type === 'number' || type === 'integer') && typeof value === 'string'
        ? Number(value.replace(',', '.'))
        : value;
  }
  return out;
}

function PreviewField({
  name,
  ui,
  control,
  register,
  error,
}: {
  name: string;
  ui: FieldUiSchema;
  control: ReturnType<typeof useForm<Answers>>['control'];
  register: ReturnType<typeof useForm<Answers>>['register'];
  error: string | undefined;
}) {
  const id = `preview-${name}`;
  const choices = ui['ui:options']?.choices ?? [];
  const aria = {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ui['ui:help'] ? `${id}-help` : undefined,
  };
  const widget = ui['ui:widget'];
  let control_: ReactNode;
  if (widget === 'radio' || widget === 'checkboxes') {
    control_ = (
      <Controller
        control={control}
        name={name}
        render={({ field }) => (
          // biome-ignore lint/a11y/useSemanticElements: named by the field's label above, like the other widgets.
          <div role="group" aria-labelledby={`${id}-label`} className="flex flex-col gap-1.5">
            {choices.map((choice) => {
              const value = choice.value;
              const selected =
                widget === 'radio'
                  ? field.value === value
                  : Array.isArray(field.value) && field.value.includes(value);
              return (
                // biome-ignore lint/a11y/noLabelWithoutControl: the radio or checkbox is inside the label.
                <label
                  key={String(value)}
                  className={cn(
                    'flex cursor-pointer items-center gap-2.5 rounded-md border px-3 py-2 text-sm',
                    selected && 'border-primary bg-accent',
                  )}
                >
                  {widget === 'radio' ? (
                    <input
                      type="radio"
                      name={id}
                      className="accent-emerald-700"
                      checked={selected}
                      onChange={() => field.onChange(value)}
                    />
                  ) : (
                    <Checkbox
                      aria-label={choice.label}
                      checked={selected}
                      onCheckedChange={(checked) => {
                        const current = Array.isArray(field.value) ? (field.value as unknown[]) : [];
                        field.onChange(
                          checked === true ? [...current, value] : current.filter((item) => item !== value),
                        );
                      }}
                    />
                  )}
                  {choice.label}
                </label>
              );
            })}
          </div>
        )}
      />
    );
  } else if (widget === 'select') {
    control_ = (
      <Controller
        control={control}
        name={name}
        render={({ field }) => (
          <Select
            id={id}
            value={field.value === undefined ? undefined : String(field.value)}
            onValueChange={(value) =>
              field.onChange(choices.find((choice) => String(choice.value) === value)?.value ?? value)
            }
            options={choices.map((choice) => ({ value: String(choice.value), label: choice.label }))}
            placeholder={ui['ui:placeholder'] ?? 'Choose…'}
          />
        )}
      />
    );
  } else if (widget === 'rating') {
    control_ = (
      <Controller
        control={control}
        name={name}
        render={({ field }) => (
          <div role="radiogroup" aria-labelledby={`${id}-label`} className="flex gap-1">
            {[1, 2, 3, 4, 5].map((score) => (
              // biome-ignore lint/a11y/useSemanticElements: a star rating; role and state are set.
              <button
                key={score}
                type="button"
                role="radio"
                aria-checked={field.value === score}
                aria-label={`${score} of 5`}
                onClick={() => field.onChange(score)}
                className="rounded p-0.5 hover:bg-muted"
              >
                <Star
                  className={cn(
                    'size-6',
                    typeof field.value === 'number' && score <= field.value
                      ? 'fill-amber-400 text-amber-400'
                      : 'text-slate-300',
                  )}
                  aria-hidden
                />
              </button>
            ))}
          </div>
        )}
      />
    );
  } else if (widget === 'textarea') {
    control_ = <Textarea id={id} placeholder={ui['ui:placeholder']} {...aria} {...register(name)} />;
  } else if (widget === 'file' || widget === 'location') {
    const Icon = widget === 'file' ? Paperclip : MapPin;
    control_ = (
      <div className="flex items-center gap-2 rounded-md border border-dashed px-3 py-3 text-sm text-muted-foreground">
        <Icon className="size-4" aria-hidden />
        {widget === 'file'
          ? 'The person sends a photo or file in WhatsApp.'
          : 'The person shares a location in WhatsApp.'}
      </div>
    );
  } else {
    const type =
      widget === 'email'
        ? 'email'
        : widget === 'phone'
          ? 'tel'
          : widget === 'number'
            ? 'text'
            : widget === 'date'
              ? 'date'
              : 'text';
    control_ = (
      <Input
        id={id}
        type={type}
        inputMode={widget === 'number' ? 'decimal' : undefined}
        placeholder={ui['ui:placeholder']}
        {...aria}
        {...register(name)}
      />
    );
  }
  return (
    <div className="flex flex-col gap-1.5" data-testid={`preview-field-${name}`}>
      <Label id={`${id}-label`} htmlFor={id}>
        {ui['ui:title']}
      </Label>
      {control_}
      {ui['ui:help'] && (
        <p id={`${id}-help`} className="text-xs text-muted-foreground">
          {ui['ui:help']}
        </p>
      )}
      {error && (
        <p role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

function PreviewForm({ form: derived }: { form: ReturnType<typeof deriveForm> }) {
  const { answersSchema, uiSchema } = derived;
  const [result, setResult] = useState<Answers | null>(null);
  const validate = useMemo(() => {
    try {
      return ajv.compile(answersSchema);
    } catch {
      return null;
    }
  }, [answersSchema]);
  const resolver: Resolver<Answers> = async (values) => {
    const answers = cleanAnswers(values, answersSchema.properties);
    if (validate === null || validate(answers)) return { values: answers, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const problem of problemsFromAjv(validate.errors)) {
      const key = problem.pointer.split('/')[1] ?? '';
      if (key && !errors[key]) errors[key] = { type: 'schema', message: problem.message };
    }
    return { values: {}, errors };
  };
  const form = useForm<Answers>({ resolver });
  const order = uiSchema['ui:order'];
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      aria-label="Form preview"
      onSubmit={form.handleSubmit((answers) => setResult(answers))}
    >
      {order.map((name) => (
        <PreviewField
          key={name}
          name={name}
          ui={uiSchema[name] as FieldUiSchema}
          control={form.control}
          register={form.register}
          error={(form.formState.errors[name] as { message?: string } | undefined)?.message}
        />
      ))}
      <Button type="submit" className="self-start">
        Check answers
      </Button>
      {result && (
        <div role="status" className="rounded-md bg-emerald-50 p-3 text-xs text-emerald-900">
          <p className="font-medium">These answers are valid. They would be saved as:</p>
          <pre className="mt-1 overflow-x-auto whitespace-pre-wrap">{JSON.stringify(result, null, 2)}</pre>
        </div>
      )}
    </form>
  );
}

/** The flow's questions as a form, derived locally from the draft (no server call), live as it is edited. */
export function FormPreview({ document, onClose }: { document: FlowDocument; onClose: () => void }) {
  const derived = useMemo(() => {
    try {
      return deriveForm(document);
    } catch {
      return null;
    }
  }, [document]);
  const key = derived ? JSON.stringify(derived) : 'none';
  return (
    <aside aria-label="Form preview" className="flex h-full w-[340px] shrink-0 flex-col border-l bg-slate-50">
      <header className="flex items-center gap-2 border-b bg-card px-4 py-3">
        <ClipboardList className="size-4 text-primary" aria-hidden />
        <h2 className="flex-1 text-sm font-semibold">Form preview</h2>
        <Button variant="ghost" size="icon-sm" aria-label="Close form preview" onClick={onClose}>
          <X aria-hidden />
        </Button>
      </header>
      <div className="flex-1 overflow-y-auto p-4">
        <p className="mb-3 text-xs text-muted-foreground">
          The answers this flow collects, in the order a conversation asks them. Exports use the same columns.
        </p>
        {derived === null || derived.uiSchema['ui:order'].length === 0 ? (
          <EmptyState title="No questions yet">
            Add a Question block and it appears here as a form field.
          </EmptyState>
        ) : (
          <div className="rounded-xl border bg-card p-4 shadow-sm">
            <h3 className="mb-4 text-base font-semibold">{document.name}</h3>
            <PreviewForm key={key} form={derived} />
          </div>
        )}
      </div>
    </aside>
  );
}
