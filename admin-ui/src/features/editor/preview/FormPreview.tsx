import { type AnswerReading, exampleDate, type Reply, readAnswer, usableLocale } from '@parley/engine';
import { type DerivedForm, deriveForm, type FieldUiSchema, type FlowDocument } from '@parley/schemas';
import { ClipboardList, MapPin, Paperclip, Star, X } from 'lucide-react';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Controller, type Resolver, useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { EmptyState } from '@/components/ui/states';
import { Textarea } from '@/components/ui/textarea';
import { cn } from '@/lib/cn';

type Answers = Record<string, unknown>;
type FieldErrors = Record<string, { type: string; message: string }>;

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** What the form field holds, as the contact would send it in the chat. */
function replyOf(derived: DerivedForm, name: string, value: unknown): Reply {
  const choices = derived.questions[name]?.choices;
  if (choices !== undefined) {
    const picked = Array.isArray(value) ? value : [value];
    return {
      choiceIds: choices.filter((choice) => picked.includes(choice.value)).map((choice) => choice.id),
    };
  }
  return { text: String(value) };
}

/**
 * Reads every field exactly as the chat reads that question: the same parsers, the same flow
 * settings, the same message back when an answer is refused. A question the chat waits on cannot be
 * left empty unless the contact may skip it; photos and locations only come from WhatsApp.
 */
function readForm(
  derived: DerivedForm,
  values: Answers,
  reading: AnswerReading,
): { answers: Answers; errors: FieldErrors } {
  const answers: Answers = {};
  const errors: FieldErrors = {};
  for (const name of derived.uiSchema['ui:order']) {
    const question = derived.questions[name];
    if (question === undefined || (question.accept ?? 'text') !== 'text') continue;
    const value = values[name];
    if (isEmpty(value)) {
      if (question.skippable !== true)
        errors[name] = { type: 'required', message: 'This question needs an answer.' };
      continue;
    }
    const read = readAnswer(question, replyOf(derived, name, value), reading);
    if (!read.ok) errors[name] = { type: 'answer', message: read.message };
    else if ('value' in read) answers[name] = read.value;
  }
  return { answers, errors };
}

function PreviewField({
  name,
  ui,
  datePlaceholder,
  control,
  register,
  error,
}: {
  name: string;
  ui: FieldUiSchema;
  datePlaceholder: string;
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
    const type = widget === 'email' ? 'email' : widget === 'phone' ? 'tel' : 'text';
    control_ = (
      <Input
        id={id}
        type={type}
        inputMode={widget === 'number' ? 'decimal' : undefined}
        placeholder={ui['ui:placeholder'] ?? (widget === 'date' ? datePlaceholder : undefined)}
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

function PreviewForm({ form: derived, settings }: { form: DerivedForm; settings: FlowDocument['settings'] }) {
  const { uiSchema } = derived;
  const [result, setResult] = useState<Answers | null>(null);
  const resolver: Resolver<Answers> = async (values) => {
    const { answers, errors } = readForm(derived, values, {
      defaultCountry: settings?.defaultCountry,
      locale: settings?.locale,
      timeZone: settings?.timeZone,
      now: Date.now(),
    });
    return Object.keys(errors).length === 0 ? { values: answers, errors: {} } : { values: {}, errors };
  };
  const form = useForm<Answers>({ resolver });
  // A result describes the answers it checked: any edit makes it stale, so it goes.
  useEffect(() => {
    const subscription = form.watch(() => setResult(null));
    return () => subscription.unsubscribe();
  }, [form]);
  const locale = usableLocale(settings?.locale);
  const datePlaceholder =
    locale === undefined && settings?.timeZone === undefined
      ? 'YYYY-MM-DD'
      : `e.g. ${exampleDate(locale)} or tomorrow`;
  const order = uiSchema['ui:order'];
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      aria-label="Form preview"
      onSubmit={form.handleSubmit(
        (answers) => setResult(answers),
        () => setResult(null),
      )}
    >
      {order.map((name) => (
        <PreviewField
          key={name}
          name={name}
          ui={uiSchema[name] as FieldUiSchema}
          datePlaceholder={datePlaceholder}
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
            <PreviewForm key={key} form={derived} settings={document.settings} />
          </div>
        )}
      </div>
    </aside>
  );
}
