import {
  ALERT_DEFAULTS,
  ALERT_KINDS,
  type Alert,
  type AlertKind,
  type AlertParams,
  type AlertRule,
} from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { BellRing, Plus } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { LearnMore } from '@/components/learn-more';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { formatWhen } from '@/lib/format';

type Threshold = keyof AlertParams;

/** Each kind in words. */
const KIND_TITLES: Record<AlertKind, string> = {
  number_down: 'A WhatsApp number is down',
  flow_failure_rate: 'A flow fails too often',
  handoff_waiting: 'Hand-offs wait too long',
  outbox_backlog: 'Replies are not being sent',
  memory_restarts: 'A number’s browser keeps restarting',
  conversation_tests_failed: 'A flow’s scheduled conversation tests fail',
  handoff_started: 'A contact is waiting for a person',
};

/** What a kind does that its title does not say. */
const KIND_HELP: Partial<Record<AlertKind, string>> = {
  handoff_started:
    'Sent the moment a flow hands a contact over to a person, once per contact, so someone can answer from the Inbox. Resolved when someone takes the conversation, closes it or hands it back to the bot. Live tests do not alert.',
};

/** The thresholds a kind reads: those it has defaults for. */
const fieldsOf = (kind: AlertKind) => Object.keys(ALERT_DEFAULTS[kind]) as Threshold[];

const FIELD_LABELS: Record<AlertKind, Partial<Record<Threshold, string>>> = {
  number_down: { minutes: 'Alert after this many minutes down' },
  flow_failure_rate: {
    percent: 'Alert above this failure rate (%)',
    windowMinutes: 'Over the last (minutes)',
    count: 'Only with at least this many conversations',
  },
  handoff_waiting: { minutes: 'Alert after a wait of (minutes)' },
  outbox_backlog: { minutes: 'Replies waiting longer than (minutes)', count: 'At least this many replies' },
  memory_restarts: { windowMinutes: 'Within the last (minutes)', count: 'Restarts' },
  conversation_tests_failed: {},
  handoff_started: {},
};

interface RuleForm {
  name: string;
  kind: AlertKind;
  minutes: string;
  percent: string;
  windowMinutes: string;
  count: string;
  webhookUrl: string;
  emails: string;
}

function toForm(rule: AlertRule | null): RuleForm {
  const kind = rule?.kind ?? 'number_down';
  // Fields the kind does not read stay hidden; choosing another kind fills in its own defaults.
  const value = (field: Threshold) => String(rule?.params[field] ?? ALERT_DEFAULTS[kind][field] ?? 1);
  return {
    name: rule?.name ?? '',
    kind,
    minutes: value('minutes'),
    percent: value('percent'),
    windowMinutes: value('windowMinutes'),
    count: value('count'),
    webhookUrl: rule?.webhookUrl ?? '',
    emails: rule?.emails.join(', ') ?? '',
  };
}

function RuleDialog({ rule, open, onClose }: { rule: AlertRule | null; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<RuleForm>({ values: toForm(rule) });
  const kind = form.watch('kind');
  const save = useMutation({
    mutationFn: (values: RuleForm) => {
      const params = Object.fromEntries(fieldsOf(values.kind).map((field) => [field, Number(values[field])]));
      const common = {
        name: values.name.trim(),
        params,
        webhookUrl: values.webhookUrl.trim() === '' ? null : values.webhookUrl.trim(),
        emails: values.emails
          .split(/[,\s]+/)
          .map((email) => email.trim())
          .filter((email) => email !== ''),
      };
      return rule === null
        ? api.createAlertRule({ ...common, kind: values.kind })
        : api.updateAlertRule(rule.id, common);
    },
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: ['alert-rules'] });
      toast.success(
        `${saved.name} is saved`,
        saved.kind === 'handoff_started'
          ? 'It is sent the moment a contact is handed over.'
          : 'It is checked every minute.',
      );
      onClose();
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const { errors } = form.formState;
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{rule === null ? 'New alert rule' : `Change ${rule.name}`}</DialogTitle>
          <DialogDescription>
            Parley checks this every minute, sends one notice when it starts and one when it is resolved.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => save.mutate(values))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="rule-name">Name</Label>
            <Input
              id="rule-name"
              autoComplete="off"
              placeholder="Front desk number down"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? 'rule-name-error' : undefined}
              {...form.register('name', {
                validate: (value) => value.trim() !== '' || 'Give the rule a name that says what it watches.',
              })}
            />
            <FieldError id="rule-name-error" message={errors.name?.message} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="rule-kind">Alert when</Label>
            <Controller
              control={form.control}
              name="kind"
              render={({ field }) => (
                <Select
                  id="rule-kind"
                  value={field.value}
                  disabled={rule !== null}
                  onValueChange={(value) => {
                    const chosen = value as AlertKind;
                    field.onChange(chosen);
                    for (const threshold of fieldsOf(chosen))
                      form.setValue(threshold, String(ALERT_DEFAULTS[chosen][threshold]));
                  }}
                  options={ALERT_KINDS.map((value) => ({ value, label: KIND_TITLES[value] }))}
                />
              )}
            />
            {KIND_HELP[kind] !== undefined && (
              <p className="text-xs text-muted-foreground">{KIND_HELP[kind]}</p>
            )}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            {fieldsOf(kind).map((field) => (
              <div key={field} className="flex flex-col gap-1.5">
                <Label htmlFor={`rule-${field}`}>{FIELD_LABELS[kind][field]}</Label>
                <Input
                  id={`rule-${field}`}
                  type="number"
                  min={1}
                  inputMode="numeric"
                  aria-invalid={errors[field] ? true : undefined}
                  {...form.register(field, {
                    validate: (value) =>
                      (Number.isInteger(Number(value)) && Number(value) >= 1) ||
                      'Enter a whole number, 1 or more.',
                  })}
                />
                <FieldError id={`rule-${field}-error`} message={errors[field]?.message} />
              </div>
            ))}
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="rule-webhook">Webhook address (optional)</Label>
            <Input
              id="rule-webhook"
              type="url"
              autoComplete="off"
              placeholder="https://hooks.slack.com/services/…"
              aria-describedby="rule-webhook-help"
              {...form.register('webhookUrl')}
            />
            <p id="rule-webhook-help" className="text-xs text-muted-foreground">
              A Slack or Teams incoming webhook, or any address that takes JSON. Signed with the workspace’s
              signing secret when one is set.
            </p>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="rule-emails">Email to (optional)</Label>
            <Input
              id="rule-emails"
              autoComplete="off"
              placeholder="ops@clinic.example, lead@clinic.example"
              {...form.register('emails')}
            />
          </div>
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending}>
              {save.isPending && <Spinner label="Saving the rule" />}
              Save rule
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

const CHANNEL_WORDS = { webhook: 'Webhook', email: 'Email' } as const;

function AlertRow({ alert }: { alert: Alert }) {
  const failed = alert.deliveries.filter(
    (delivery) => delivery.lastError !== null && delivery.status !== 'delivered',
  );
  return (
    <li className="border-b px-4 py-3 last:border-0">
      <p className="flex flex-wrap items-center gap-2 font-medium">
        {alert.resolvedAt === null ? (
          <Badge variant="destructive">Open</Badge>
        ) : (
          <Badge variant="success">Resolved</Badge>
        )}
        <span>{alert.ruleName}</span>
      </p>
      <p className="mt-1">{alert.message}</p>
      <p className="mt-1 text-xs text-muted-foreground">
        Opened {formatWhen(alert.openedAt)}
        {alert.resolvedAt !== null && ` · resolved ${formatWhen(alert.resolvedAt)}`}
        {alert.deliveries.length === 0
          ? ' · no webhook or email set: shown here only'
          : ` · ${alert.deliveries
              .map(
                (d) =>
                  `${CHANNEL_WORDS[d.channel]} (${d.event}): ${d.status === 'delivered' ? 'sent' : d.status === 'pending' ? 'waiting' : 'not sent'}`,
              )
              .join(', ')}`}
      </p>
      {failed.map((delivery) => (
        <p key={`${delivery.channel}-${delivery.event}`} role="alert" className="mt-1 text-xs text-red-700">
          {CHANNEL_WORDS[delivery.channel]} notice{' '}
          {delivery.status === 'failed'
            ? 'not sent'
            : `not sent yet (tried ${delivery.attempts} ${delivery.attempts === 1 ? 'time' : 'times'}, trying again)`}
          : {delivery.lastError}
        </p>
      ))}
    </li>
  );
}

function RuleRow({ rule, onEdit, onDelete }: { rule: AlertRule; onEdit: () => void; onDelete: () => void }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => api.updateAlertRule(rule.id, { enabled: !rule.enabled }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['alert-rules'] }),
    onError: (error) => toast.error('The rule was not changed', errorMessage(error)),
  });
  const where = [
    rule.webhookUrl === null ? null : 'webhook',
    rule.emails.length === 0 ? null : rule.emails.join(', '),
  ]
    .filter((part) => part !== null)
    .join(' and ');
  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b px-4 py-3 last:border-0">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          <span className={rule.enabled ? undefined : 'text-muted-foreground'}>{rule.name}</span>
          {!rule.enabled && <Badge variant="secondary">Off</Badge>}
        </p>
        <p className="mt-1 text-xs text-muted-foreground">
          {KIND_TITLES[rule.kind]} · {where === '' ? 'shown here only' : `sent to ${where}`}
        </p>
      </div>
      <div className="flex gap-2">
        <Button variant="outline" size="sm" aria-label={`Change the rule ${rule.name}`} onClick={onEdit}>
          Change
        </Button>
        <Button variant="outline" size="sm" disabled={toggle.isPending} onClick={() => toggle.mutate()}>
          {rule.enabled ? 'Turn off' : 'Turn on'}
        </Button>
        <Button variant="outline" size="sm" aria-label={`Delete the rule ${rule.name}`} onClick={onDelete}>
          Delete
        </Button>
      </div>
    </li>
  );
}

function RulesSection() {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: ['alert-rules', me?.workspaceId], queryFn: api.listAlertRules });
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const remove = useMutation({
    mutationFn: (rule: AlertRule) => api.deleteAlertRule(rule.id),
    onSuccess: (_done, rule) => {
      queryClient.invalidateQueries({ queryKey: ['alert-rules'] });
      queryClient.invalidateQueries({ queryKey: ['alerts'] });
      toast.success(`${rule.name} was deleted`, 'Its alerts are gone too.');
      setDeleting(null);
    },
    onError: (error) => {
      toast.error('The rule was not deleted', errorMessage(error));
      setDeleting(null);
    },
  });
  return (
    <section aria-labelledby="rules-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="rules-title" className="text-base font-semibold">
          What to watch
        </h2>
        <Button onClick={() => setEditing('new')}>
          <Plus aria-hidden /> New rule
        </Button>
      </div>
      {rules.isPending ? (
        <LoadingState label="Loading rules…" />
      ) : rules.isError ? (
        <ErrorState
          title="Rules could not be loaded"
          message={errorMessage(rules.error)}
          onRetry={() => rules.refetch()}
        />
      ) : rules.data.length === 0 ? (
        <EmptyState icon={<BellRing />} title="No alert rules yet">
          Add one to hear when a number goes down or conversations wait for a person.
        </EmptyState>
      ) : (
        <Card className="overflow-hidden">
          <ul aria-label="Alert rules" className="text-sm">
            {rules.data.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                onEdit={() => setEditing(rule)}
                onDelete={() => setDeleting(rule)}
              />
            ))}
          </ul>
        </Card>
      )}
      <RuleDialog
        key={editing === null || editing === 'new' ? 'new' : editing.id}
        rule={editing === null || editing === 'new' ? null : editing}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete the rule ${deleting?.name ?? ''}?`}
        description="Nothing is watched for it any more, and its alerts, open and past, are deleted with it."
        confirmLabel="Delete rule"
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting !== null && remove.mutate(deleting)}
      />
    </section>
  );
}

export function AlertsPage() {
  const me = useSession((state) => state.me);
  const alerts = useQuery({
    queryKey: ['alerts', me?.workspaceId],
    queryFn: api.listAlerts,
    refetchInterval: 30_000,
  });
  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          <>
            What needs a person now, and what did recently. <LearnMore topic="alerts" about="alerts" />
          </>
        }
      />
      <div className="flex flex-col gap-8 px-4 py-4 md:px-8 md:py-6">
        <section aria-labelledby="alerts-title" className="flex flex-col gap-3">
          <h2 id="alerts-title" className="text-base font-semibold">
            Open and recent alerts
          </h2>
          {alerts.isPending ? (
            <LoadingState label="Loading alerts…" />
          ) : alerts.isError ? (
            <ErrorState
              title="Alerts could not be loaded"
              message={errorMessage(alerts.error)}
              onRetry={() => alerts.refetch()}
            />
          ) : alerts.data.length === 0 ? (
            <EmptyState icon={<BellRing />} title="No alerts">
              Nothing has needed a person
              {hasRole(me, 'admin') ? ' yet. Add rules below to say what to watch.' : '.'}
            </EmptyState>
          ) : (
            <Card className="overflow-hidden">
              <ul aria-label="Alerts" className="text-sm">
                {alerts.data.map((alert) => (
                  <AlertRow key={alert.id} alert={alert} />
                ))}
              </ul>
            </Card>
          )}
        </section>
        {hasRole(me, 'admin') && <RulesSection />}
      </div>
    </>
  );
}
