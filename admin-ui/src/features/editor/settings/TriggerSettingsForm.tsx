import { AnyMessageTrigger, createAjv, KeywordTrigger, problemsFromAjv } from '@parley/schemas';
import { useEffect, useMemo, useRef } from 'react';
import { Controller, type Resolver, type ResolverResult, useForm } from 'react-hook-form';
import { Checkbox } from '@/components/ui/checkbox';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { TRIGGER_HANDLE, type TriggerNode, type TriggerSettings } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { useNodeOptions } from './widgets/NodePickerWidget';

interface TriggerForm {
  type: 'keyword' | 'any_message';
  keywords: string;
  match: 'exact' | 'contains' | 'regex';
  interrupt: boolean;
}

type TriggerData = TriggerSettings;

const ajv = createAjv({ strict: false });
const validateKeyword = ajv.compile(KeywordTrigger);
const validateAny = ajv.compile(AnyMessageTrigger);

function toForm(trigger: TriggerData): TriggerForm {
  return {
    type: trigger.type,
    keywords: trigger.type === 'keyword' ? trigger.keywords.join(', ') : '',
    match: trigger.type === 'keyword' ? (trigger.match ?? 'exact') : 'exact',
    interrupt: trigger.interrupt === true,
  };
}

function fromForm(id: string, values: TriggerForm): TriggerData {
  const interrupt = values.interrupt ? { interrupt: true } : {};
  if (values.type === 'any_message') return { id, type: 'any_message', ...interrupt };
  const keywords = values.keywords
    .split(',')
    .map((keyword) => keyword.trim())
    .filter((keyword) => keyword !== '');
  return {
    id,
    type: 'keyword',
    keywords,
    ...(values.match === 'exact' ? {} : { match: values.match }),
    ...interrupt,
  };
}

/** The trigger's own JSON Schema checks its settings as they are typed. */
function triggerResolver(id: string): Resolver<TriggerForm> {
  return async (values): Promise<ResolverResult<TriggerForm>> => {
    const trigger = fromForm(id, values);
    const validate = trigger.type === 'keyword' ? validateKeyword : validateAny;
    if (validate({ ...trigger, target: 'x' } as unknown)) return { values, errors: {} };
    const problem = problemsFromAjv(validate.errors)[0];
    const message = problem?.pointer.startsWith('/keywords')
      ? trigger.type === 'keyword' && trigger.keywords.length === 0
        ? 'Add at least one keyword.'
        : problem.message
      : (problem?.message ?? 'Check these settings.');
    return { values: {}, errors: { keywords: { type: 'schema', message } } };
  };
}

/** When a conversation starts: on a keyword or on any message, and at which block. */
export function TriggerSettingsForm({ node, readOnly }: { node: TriggerNode; readOnly: boolean }) {
  const trigger = node.data.trigger;
  const updateTrigger = useEditorStore((state) => state.updateTrigger);
  const onConnect = useEditorStore((state) => state.onConnect);
  const target = useEditorStore(
    (state) =>
      state.edges.find((edge) => edge.source === node.id && edge.sourceHandle === TRIGGER_HANDLE)?.target,
  );
  const options = useNodeOptions(null);
  const resolver = useMemo(() => triggerResolver(trigger.id), [trigger.id]);
  const form = useForm<TriggerForm>({ defaultValues: toForm(trigger), resolver, mode: 'onChange' });
  const committed = useRef(JSON.stringify(trigger));
  const type = form.watch('type');

  useEffect(() => {
    const subscription = form.watch((values, { name }) => {
      const next = fromForm(trigger.id, values as TriggerForm);
      const json = JSON.stringify(next);
      if (json === committed.current) return;
      committed.current = json;
      updateTrigger(node.id, next, name);
    });
    return () => subscription.unsubscribe();
  }, [form, node.id, trigger.id, updateTrigger]);

  useEffect(() => {
    const json = JSON.stringify(trigger);
    if (json === committed.current) return;
    committed.current = json;
    form.reset(toForm(trigger));
  }, [trigger, form]);

  useEffect(() => {
    void form.trigger();
  }, [form]);

  const keywordsError = form.formState.errors.keywords?.message;
  const id = (name: string) => `trigger-${trigger.id}-${name}`;

  return (
    <form onSubmit={(event) => event.preventDefault()} noValidate aria-label="Start settings">
      <fieldset disabled={readOnly} className="flex flex-col gap-5">
        <div className="flex flex-col gap-1.5">
          <Label id={id('type-label')} htmlFor={id('type')}>
            Starts when
          </Label>
          <Controller
            control={form.control}
            name="type"
            render={({ field }) => (
              <Select
                id={id('type')}
                value={field.value}
                onValueChange={field.onChange}
                disabled={readOnly}
                options={[
                  { value: 'keyword', label: 'A keyword is sent' },
                  { value: 'any_message', label: 'Any message arrives' },
                ]}
              />
            )}
          />
        </div>
        {type === 'keyword' && (
          <>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={id('keywords')}>Keywords</Label>
              <Input
                id={id('keywords')}
                placeholder="hi, hello, start"
                aria-invalid={keywordsError ? true : undefined}
                aria-describedby={id('keywords-help')}
                {...form.register('keywords')}
              />
              <p
                id={id('keywords-help')}
                className={keywordsError ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
              >
                {keywordsError ?? 'Separate keywords with commas. Case does not matter.'}
              </p>
            </div>
            <div className="flex flex-col gap-1.5">
              <Label id={id('match-label')} htmlFor={id('match')}>
                Match
              </Label>
              <Controller
                control={form.control}
                name="match"
                render={({ field }) => (
                  <Select
                    id={id('match')}
                    value={field.value}
                    onValueChange={field.onChange}
                    disabled={readOnly}
                    options={[
                      { value: 'exact', label: 'The whole message is a keyword' },
                      { value: 'contains', label: 'The message contains a keyword' },
                      { value: 'regex', label: 'Regular expression (advanced)' },
                    ]}
                  />
                )}
              />
            </div>
          </>
        )}
        <Controller
          control={form.control}
          name="interrupt"
          render={({ field }) => (
            <div className="flex items-start gap-2.5">
              <Checkbox
                id={id('interrupt')}
                checked={field.value}
                onCheckedChange={(checked) => field.onChange(checked === true)}
                disabled={readOnly}
                className="mt-0.5"
                aria-describedby={id('interrupt-help')}
                aria-labelledby={id('interrupt-label')}
              />
              <div className="flex flex-col gap-1">
                <label
                  id={id('interrupt-label')}
                  htmlFor={id('interrupt')}
                  className="text-sm font-medium leading-none"
                >
                  Restart conversations in progress
                </label>
                <p id={id('interrupt-help')} className="text-xs text-muted-foreground">
                  Also matches mid-conversation: the current one is abandoned and a new one starts.
                </p>
              </div>
            </div>
          )}
        />
        <div className="flex flex-col gap-1.5">
          <Label id={id('target-label')} htmlFor={id('target')}>
            First block
          </Label>
          <Select
            id={id('target')}
            value={target}
            placeholder="Pick the first block"
            disabled={readOnly}
            onValueChange={(value) =>
              onConnect({ source: node.id, sourceHandle: TRIGGER_HANDLE, target: value, targetHandle: null })
            }
            options={options}
            aria-describedby={id('target-help')}
          />
          <p id={id('target-help')} className="text-xs text-muted-foreground">
            Or drag from the Start card’s dot to a block.
          </p>
        </div>
      </fieldset>
    </form>
  );
}
