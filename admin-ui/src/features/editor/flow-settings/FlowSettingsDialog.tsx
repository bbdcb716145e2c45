import {
  createAjv,
  type FlowSettings,
  FlowSettings as FlowSettingsSchema,
  problemsFromAjv,
  settingsProblems,
} from '@parley/schemas';
import { useEffect } from 'react';
import { Controller, type Resolver, useForm } from 'react-hook-form';
import { LearnMore } from '@/components/learn-more';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { localeOptions, timeZoneNames } from '@/core/settings/reading';
import { useEditorStore } from '@/infrastructure/store/editor-store';

interface SettingsForm {
  sessionTimeoutMinutes: string;
  fallbackText: string;
  reminderAfterMinutes: string;
  reminderText: string;
  expiredText: string;
  defaultCountry: string;
  locale: string;
  timeZone: string;
  phoneCountryFromContact: boolean;
  stopWords: string;
  stopText: string;
  helpWords: string;
  helpText: string;
  afterEndText: string;
  noMatchOn: boolean;
  noMatchText: string;
  handoffTimeoutMinutes: string;
  handoffTimeoutText: string;
}

/** The select's value for "no locale": Radix selects cannot hold an empty value. */
const NO_LOCALE = 'none';

const validateSettings = createAjv({ strict: false }).compile(FlowSettingsSchema);

const FIELD_OF: Record<string, keyof SettingsForm> = {
  '/sessionTimeoutMinutes': 'sessionTimeoutMinutes',
  '/fallbackText': 'fallbackText',
  '/reminder/afterMinutes': 'reminderAfterMinutes',
  '/reminder/text': 'reminderText',
  '/reminder': 'reminderText',
  '/expiredText': 'expiredText',
  '/defaultCountry': 'defaultCountry',
  '/locale': 'locale',
  '/timeZone': 'timeZone',
  '/settings/locale': 'locale',
  '/settings/timeZone': 'timeZone',
  '/replies/stop/words': 'stopWords',
  '/replies/stop/text': 'stopText',
  '/replies/stop': 'stopText',
  '/replies/help/words': 'helpWords',
  '/replies/help/text': 'helpText',
  '/replies/help': 'helpText',
  '/replies/afterEnd': 'afterEndText',
  '/replies/noMatch': 'noMatchText',
  '/handoff/timeoutMinutes': 'handoffTimeoutMinutes',
  '/handoff/timeoutText': 'handoffTimeoutText',
};

/** What to say when one half of a pair is filled in and the other is not. */
const MISSING: Partial<Record<keyof SettingsForm, string>> = {
  reminderAfterMinutes: 'Required for a reminder.',
  reminderText: 'Required for a reminder.',
  stopWords: 'Add the words this reply answers.',
  stopText: 'Write the reply to these words.',
  helpWords: 'Add the words this reply answers.',
  helpText: 'Write the reply to these words.',
  handoffTimeoutMinutes: 'How many minutes without a reply? Or clear the message below.',
};

/** "STOP, cancel" → ["STOP", "cancel"]; nothing when empty. */
function wordsOf(text: string): string[] | undefined {
  const words = text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '');
  return words.length === 0 ? undefined : words;
}

/** One built-in reply: both parts, or none when both are empty (a half-filled one fails validation). */
function replyWords(words: string, text: string): { words?: string[]; text?: string } | undefined {
  const list = wordsOf(words);
  const reply = text.trim() === '' ? undefined : text;
  if (list === undefined && reply === undefined) return undefined;
  return { words: list, text: reply };
}

function toSettings(values: SettingsForm, base: FlowSettings | undefined): FlowSettings {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text.replace(',', '.')));
  const text = (value: string) => (value.trim() === '' ? undefined : value);
  const {
    sessionTimeoutMinutes: _a,
    fallbackText: _b,
    reminder: _c,
    expiredText: _d,
    defaultCountry: _e,
    locale: _f,
    timeZone: _g,
    phoneCountryFromContact: _h,
    replies: _i,
    handoff: _j,
    ...rest
  } = base ?? {};
  const handoffMinutes = number(values.handoffTimeoutMinutes);
  const handoffText = text(values.handoffTimeoutText);
  const reminderAfter = number(values.reminderAfterMinutes);
  const reminderText = text(values.reminderText);
  const settings: Record<string, unknown> = {
    ...rest,
    sessionTimeoutMinutes: number(values.sessionTimeoutMinutes),
    fallbackText: text(values.fallbackText),
    reminder:
      reminderAfter === undefined && reminderText === undefined
        ? undefined
        : { afterMinutes: reminderAfter, text: reminderText },
    expiredText: text(values.expiredText),
    defaultCountry: text(values.defaultCountry.trim().toUpperCase()),
    locale: values.locale === NO_LOCALE ? undefined : values.locale,
    timeZone: text(values.timeZone.trim()),
    phoneCountryFromContact: values.phoneCountryFromContact ? true : undefined,
    replies: (() => {
      const replies = {
        stop: replyWords(values.stopWords, values.stopText),
        help: replyWords(values.helpWords, values.helpText),
        afterEnd: text(values.afterEndText),
        // Turned on without a text, it stays in the settings empty, so validation asks for one.
        noMatch: values.noMatchOn ? values.noMatchText.trim() : undefined,
      };
      return Object.values(replies).every((part) => part === undefined) ? undefined : replies;
    })(),
    handoff:
      handoffMinutes === undefined && handoffText === undefined
        ? undefined
        : { timeoutMinutes: handoffMinutes, timeoutText: handoffText },
  };
  return JSON.parse(JSON.stringify(settings)) as FlowSettings;
}

function toForm(settings: FlowSettings | undefined): SettingsForm {
  return {
    sessionTimeoutMinutes: settings?.sessionTimeoutMinutes?.toString() ?? '',
    fallbackText: settings?.fallbackText ?? '',
    reminderAfterMinutes: settings?.reminder?.afterMinutes?.toString() ?? '',
    reminderText: settings?.reminder?.text ?? '',
    expiredText: settings?.expiredText ?? '',
    defaultCountry: settings?.defaultCountry ?? '',
    locale: settings?.locale ?? NO_LOCALE,
    timeZone: settings?.timeZone ?? '',
    phoneCountryFromContact: settings?.phoneCountryFromContact === true,
    stopWords: settings?.replies?.stop?.words.join(', ') ?? '',
    stopText: settings?.replies?.stop?.text ?? '',
    helpWords: settings?.replies?.help?.words.join(', ') ?? '',
    helpText: settings?.replies?.help?.text ?? '',
    afterEndText: settings?.replies?.afterEnd ?? '',
    noMatchOn: settings?.replies?.noMatch !== undefined,
    noMatchText: settings?.replies?.noMatch ?? '',
    handoffTimeoutMinutes: settings?.handoff?.timeoutMinutes?.toString() ?? '',
    handoffTimeoutText: settings?.handoff?.timeoutText ?? '',
  };
}

/** Flow-wide settings: timeouts, reminder, fallback texts, how answers are read. */
export function FlowSettingsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const meta = useEditorStore((state) => state.meta);
  const readOnly = useEditorStore((state) => state.readOnly);
  const setMeta = useEditorStore((state) => state.setMeta);
  const resolver: Resolver<SettingsForm> = async (values) => {
    const settings = toSettings(values, meta.settings);
    const errors: Record<string, { type: string; message: string }> = {};
    if (validateSettings(settings)) {
      for (const problem of settingsProblems(settings)) {
        const field = FIELD_OF[problem.pointer];
        if (field && problem.severity === 'error')
          errors[field] = { type: 'schema', message: problem.message };
      }
      return Object.keys(errors).length === 0 ? { values, errors: {} } : { values: {}, errors };
    }
    for (const problem of problemsFromAjv(validateSettings.errors)) {
      if (problem.pointer === '/replies/noMatch') {
        errors.noMatchText = { type: 'schema', message: 'Write the reply, or turn it off.' };
        continue;
      }
      const missing = /^“(.+)” is required\.$/.exec(problem.message)?.[1];
      const pointer = missing ? `${problem.pointer}/${missing}` : problem.pointer;
      const field = FIELD_OF[pointer];
      if (field && !errors[field])
        errors[field] = {
          type: 'schema',
          message: missing ? (MISSING[field] ?? problem.message) : problem.message,
        };
    }
    return { values: {}, errors };
  };
  const form = useForm<SettingsForm>({ defaultValues: toForm(meta.settings), resolver });
  useEffect(() => {
    if (open) form.reset(toForm(useEditorStore.getState().meta.settings));
  }, [open, form]);
  const { errors } = form.formState;
  const noMatchOn = form.watch('noMatchOn');

  const field = (
    name: keyof SettingsForm,
    label: string,
    help: string,
    multiline = false,
    placeholder?: string,
  ) => {
    const id = `flow-settings-${name}`;
    const error = errors[name]?.message;
    const props = {
      id,
      placeholder,
      'aria-invalid': error ? true : undefined,
      'aria-describedby': `${id}-help`,
      ...form.register(name),
    };
    return (
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={id}>{label}</Label>
        {multiline ? <Textarea rows={2} {...props} /> : <Input {...props} />}
        <p id={`${id}-help`} className={error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}>
          {error ?? help}
        </p>
      </div>
    );
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>Flow settings</DialogTitle>
          <DialogDescription>
            How long chats stay open, reminders, and what the bot says when something goes wrong.{' '}
            <LearnMore topic="flowSettings" about="flow settings" />
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={form.handleSubmit((values) => {
            setMeta({ ...meta, settings: toSettings(values, meta.settings) }, 'settings');
            onOpenChange(false);
          })}
        >
          <fieldset disabled={readOnly} className="flex flex-col gap-4">
            <div className="grid grid-cols-2 gap-4">
              {field('sessionTimeoutMinutes', 'Chat expires after (minutes)', 'Default 30.', false, '30')}
              {field('defaultCountry', 'Default phone country', 'Two letters, e.g. US, BR, DE.', false, 'US')}
            </div>
            <div className="grid grid-cols-2 gap-4">
              <div className="flex flex-col gap-1.5">
                <Label id="flow-settings-locale-label" htmlFor="flow-settings-locale">
                  Language and region
                </Label>
                <Controller
                  control={form.control}
                  name="locale"
                  render={({ field: control }) => (
                    <Select
                      id="flow-settings-locale"
                      value={control.value}
                      onValueChange={control.onChange}
                      disabled={readOnly}
                      aria-describedby="flow-settings-locale-help"
                      options={[
                        { value: NO_LOCALE, label: 'Not set: dates only as YYYY-MM-DD' },
                        ...localeOptions(meta.settings?.locale),
                      ]}
                    />
                  )}
                />
                <p id="flow-settings-locale-help" className="text-xs text-muted-foreground">
                  How people write dates and numbers: 14/07/2025 or 07/14/2025, 1.000 or 1,000.
                </p>
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="flow-settings-timeZone">Time zone</Label>
                <Input
                  id="flow-settings-timeZone"
                  list="flow-settings-time-zones"
                  placeholder="e.g. Europe/London"
                  aria-invalid={errors.timeZone ? true : undefined}
                  aria-describedby="flow-settings-timeZone-help"
                  {...form.register('timeZone')}
                />
                <datalist id="flow-settings-time-zones">
                  {timeZoneNames().map((name) => (
                    <option key={name} value={name} />
                  ))}
                </datalist>
                <p
                  id="flow-settings-timeZone-help"
                  className={errors.timeZone ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
                >
                  {errors.timeZone?.message ?? 'Where “tomorrow” and “next Monday” are counted from.'}
                </p>
              </div>
            </div>
            <div className="flex items-start gap-2">
              <Controller
                control={form.control}
                name="phoneCountryFromContact"
                render={({ field: control }) => (
                  <Checkbox
                    id="flow-settings-phoneCountryFromContact"
                    checked={control.value}
                    onCheckedChange={(checked) => control.onChange(checked === true)}
                    disabled={readOnly}
                  />
                )}
              />
              <Label htmlFor="flow-settings-phoneCountryFromContact" className="font-normal leading-snug">
                Read a phone number written without a country code as a number of the contact’s own country
              </Label>
            </div>
            <div className="grid grid-cols-[8rem_1fr] gap-4">
              {field('reminderAfterMinutes', 'Remind after', 'Minutes of silence.', false, '10')}
              {field('reminderText', 'Reminder', 'Sent once while a question waits.', false, 'Still there?')}
            </div>
            {field(
              'fallbackText',
              'When something goes wrong',
              'Default: “Sorry, something went wrong.”',
              true,
            )}
            {field('expiredText', 'When a chat expires', 'Optional.', true)}
            <fieldset className="flex flex-col gap-3 rounded-md border p-3">
              <legend className="px-1 text-sm font-medium">
                So contacts are never left without an answer
              </legend>
              <div className="grid grid-cols-[10rem_1fr] gap-3">
                {field(
                  'stopWords',
                  'Stop words',
                  'Comma-separated, e.g. STOP, cancel.',
                  false,
                  'STOP, cancel',
                )}
                {field(
                  'stopText',
                  'Reply to a stop word',
                  'Ends the conversation; never stored as an answer.',
                )}
                {field('helpWords', 'Help words', 'Comma-separated, e.g. HELP.', false, 'HELP')}
                {field('helpText', 'Reply to a help word', 'The question keeps waiting.')}
              </div>
              {field(
                'afterEndText',
                'After the conversation has ended',
                'Sent when a message matches no start, e.g. “This conversation has ended — write hi to start again.”',
                true,
              )}
              <div className="flex items-start gap-2">
                <Controller
                  control={form.control}
                  name="noMatchOn"
                  render={({ field: control }) => (
                    <Checkbox
                      id="flow-settings-noMatchOn"
                      checked={control.value}
                      onCheckedChange={(checked) => control.onChange(checked === true)}
                      disabled={readOnly}
                      aria-describedby="flow-settings-noMatchOn-warning"
                    />
                  )}
                />
                <div className="flex flex-col gap-1">
                  <Label htmlFor="flow-settings-noMatchOn" className="leading-snug">
                    Answer messages that start nothing
                  </Label>
                  <p id="flow-settings-noMatchOn-warning" className="text-xs text-muted-foreground">
                    This answers everyone who writes to this number, friends and family too if it is also
                    someone’s own phone. Each person gets it at most once a day.
                  </p>
                </div>
              </div>
              {noMatchOn &&
                field(
                  'noMatchText',
                  'Reply to a message that starts nothing',
                  'For example “Hi! Write MENU to see what I can do.”',
                  true,
                  'Hi! Write MENU to see what I can do.',
                )}
            </fieldset>
            <fieldset className="flex flex-col gap-3 rounded-md border p-3">
              <legend className="px-1 text-sm font-medium">When a person takes over (Hand-off)</legend>
              <div className="grid grid-cols-[10rem_1fr] gap-3">
                {field(
                  'handoffTimeoutMinutes',
                  'No reply within (minutes)',
                  'Optional. Counted from the next opening outside business hours.',
                  false,
                  '30',
                )}
                {field(
                  'handoffTimeoutText',
                  'Then tell the contact',
                  'Then the block’s “No reply in time” outcome is followed, when connected.',
                  true,
                  'Sorry for the wait: nobody from our team could answer yet. We will get back to you as soon as we can.',
                )}
              </div>
            </fieldset>
          </fieldset>
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              {readOnly ? 'Close' : 'Cancel'}
            </Button>
            {!readOnly && <Button type="submit">Save settings</Button>}
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
