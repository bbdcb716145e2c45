import {
  isLiveSession,
  type SessionEvent,
  type SessionReason,
  type SessionState,
  type WhatsAppNumber,
} from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { LogOut, Phone, Plus, QrCode, RotateCcw, Smartphone, Trash2, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage, streamEvents } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';

const E164 = /^\+[1-9]\d{6,14}$/;
const NO_FLOW = 'none';

const STATES: Record<
  SessionState,
  { label: string; variant: 'success' | 'warning' | 'secondary' | 'destructive' | 'outline' }
> = {
  disconnected: { label: 'Disconnected', variant: 'secondary' },
  starting: { label: 'Starting…', variant: 'warning' },
  qr_pending: { label: 'Waiting for scan', variant: 'warning' },
  connected: { label: 'Connected', variant: 'success' },
  reconnecting: { label: 'Reconnecting…', variant: 'warning' },
  logged_out: { label: 'Logged out', variant: 'outline' },
  failed: { label: 'Failed', variant: 'destructive' },
};

/** What a state means when there is no particular reason to give. */
const STATE_HINTS: Partial<Record<SessionState, string>> = {
  starting: 'Opening WhatsApp Web on the server…',
  qr_pending: 'Waiting for the phone to scan the QR code (or type the code).',
};

const timeOf = (iso: string) =>
  new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Why the number is in its state and what to do next, in plain words. */
export function ReasonText({ state, reason }: { state: SessionState; reason: SessionReason | null }) {
  if (reason === null) {
    const hint = STATE_HINTS[state];
    return hint === undefined ? null : (
      <p className="text-xs text-muted-foreground" data-testid="number-reason">
        {hint}
      </p>
    );
  }
  const trying = state === 'reconnecting' || state === 'starting';
  return (
    <div
      className={
        state === 'failed'
          ? 'text-xs text-destructive'
          : 'text-xs text-muted-foreground [&_strong]:text-foreground'
      }
      data-testid="number-reason"
      data-reason={reason.code}
    >
      <p>
        <strong className="font-medium">{reason.message}</strong>
        {reason.attempt !== undefined && reason.maxAttempts !== undefined && (
          <>
            {' '}
            {trying
              ? `Attempt ${reason.attempt} of ${reason.maxAttempts} failed${reason.retryAt ? `; next try at ${timeOf(reason.retryAt)}` : ''}.`
              : `Gave up after ${reason.attempt} attempts.`}
          </>
        )}
      </p>
      {reason.detail !== undefined && <p className="break-words opacity-80">Detail: {reason.detail}</p>}
      <p className="text-muted-foreground">{reason.nextStep}</p>
    </div>
  );
}

export function StateBadge({ state, hasSession }: { state: SessionState; hasSession: boolean }) {
  const info = STATES[state] ?? { label: state, variant: 'outline' as const };
  return (
    <Badge variant={info.variant} data-testid="number-state" data-state={state}>
      {/* A number that never logged in is not re-connecting: it is still trying to connect. */}
      {state === 'reconnecting' && !hasSession ? 'Retrying…' : info.label}
    </Badge>
  );
}

/** The number's session, live from its event stream (fetch + reader: EventSource can't send the token). */
function useSessionEvents(numberId: string): SessionEvent | null {
  const [event, setEvent] = useState<SessionEvent | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const follow = () => {
      streamEvents(
        `/numbers/${encodeURIComponent(numberId)}/events`,
        (name, data) => {
          if (name !== 'state') return;
          try {
            setEvent(JSON.parse(data) as SessionEvent);
          } catch {
            // A malformed event: keep the last state.
          }
        },
        controller.signal,
      )
        // A dropped stream is followed again below; the list keeps showing the last state.
        .catch(() => undefined)
        .finally(() => {
          if (!controller.signal.aborted) retry = setTimeout(follow, 3000);
        });
    };
    follow();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [numberId]);
  return event;
}

function AddNumberDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<{ phone: string; label: string }>({
    defaultValues: { phone: '', label: '' },
    mode: 'onTouched',
  });
  const add = useMutation({
    mutationFn: (values: { phone: string; label: string }) =>
      api.addNumber(values.phone.replace(/[\s()-]/g, ''), values.label.trim() || undefined),
    onSuccess: (number) => {
      void queryClient.invalidateQueries({ queryKey: ['numbers'] });
      toast.success('Number added', `${number.phone} is ready to connect.`);
      form.reset();
      onOpenChange(false);
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const phoneError = form.formState.errors.phone?.message;
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add a WhatsApp number</DialogTitle>
          <DialogDescription>
            The number of the phone that runs WhatsApp. You connect it next, by scanning a QR code.
          </DialogDescription>
        </DialogHeader>
        <form className="flex flex-col gap-4" noValidate onSubmit={form.handleSubmit((v) => add.mutate(v))}>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="number-phone">Phone number</Label>
            <Input
              id="number-phone"
              placeholder="+14155550123"
              autoComplete="off"
              aria-invalid={phoneError ? true : undefined}
              aria-describedby="number-phone-help"
              {...form.register('phone', {
                required: 'Enter the phone number.',
                validate: (value) =>
                  E164.test(value.replace(/[\s()-]/g, '')) ||
                  'Use the international format: + then country code and number, like +14155550123.',
              })}
            />
            <p
              id="number-phone-help"
              className={phoneError ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
            >
              {phoneError ?? 'International format, starting with + and the country code.'}
            </p>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="number-label">Name (optional)</Label>
            <Input id="number-label" placeholder="Sales line" maxLength={100} {...form.register('label')} />
          </div>
          {form.formState.errors.root && (
            <p role="alert" className="text-sm text-destructive">
              {form.formState.errors.root.message}
            </p>
          )}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              Add number
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function ConnectPanel({ event, reason }: { event: SessionEvent | null; reason: SessionReason | null }) {
  if (event?.qr) {
    return (
      <div className="flex flex-col items-center gap-2">
        <img
          src={event.qr}
          alt="QR code to scan with WhatsApp"
          className="size-56 rounded-md border bg-white p-2"
        />
        <p className="text-center text-xs text-muted-foreground">
          On the phone: WhatsApp → Settings → Linked devices → Link a device, then scan this code.
        </p>
      </div>
    );
  }
  if (event?.pairingCode) {
    return (
      <div className="flex flex-col items-center gap-2">
        <p className="font-mono text-3xl font-semibold tracking-[0.3em]" data-testid="pairing-code">
          {event.pairingCode}
        </p>
        <p className="text-center text-xs text-muted-foreground">
          On the phone: WhatsApp → Linked devices → Link with phone number instead, then type this code.
        </p>
      </div>
    );
  }
  if (event?.state === 'connected') {
    return <p className="text-center text-sm text-emerald-700">Connected. You can close this window.</p>;
  }
  if (reason !== null && event !== null) {
    return (
      <div role={event.state === 'failed' ? 'alert' : 'status'} className="text-sm">
        <ReasonText state={event.state} reason={reason} />
      </div>
    );
  }
  return (
    <p className="flex items-center justify-center gap-2 text-sm text-muted-foreground">
      <Spinner label="Waiting for WhatsApp" /> Waiting for WhatsApp to send a code…
    </p>
  );
}

function NumberRow({
  number,
  flows,
  isAdmin,
  canEdit,
}: {
  number: WhatsAppNumber;
  flows: { value: string; label: string }[];
  isAdmin: boolean;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const event = useSessionEvents(number.id);
  const state = event?.state ?? number.state;
  // The stream's reason when it gives one (null: nothing to explain), else the stored one.
  const reason = event?.reason !== undefined ? event.reason : number.reason;
  const [connecting, setConnecting] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['numbers'] });

  const connect = useMutation({
    mutationFn: (method: 'qr' | 'pairing_code') => api.connectNumber(number.id, method),
    onSuccess: () => {
      setConnecting(true);
      refresh();
    },
    onError: (error) => toast.error('Could not connect the number', errorMessage(error)),
  });
  const cancel = useMutation({
    mutationFn: () => api.cancelNumber(number.id),
    onSuccess: () => {
      setConnecting(false);
      refresh();
      toast.success('Stopped', `${number.phone} is no longer being connected.`);
    },
    onError: (error) => toast.error('Could not stop connecting the number', errorMessage(error)),
  });
  const logout = useMutation({
    mutationFn: () => api.logoutNumber(number.id),
    onSuccess: () => {
      refresh();
      toast.success('Logging out', `${number.phone} is being logged out of WhatsApp.`);
    },
    onError: (error) => toast.error('Could not log the number out', errorMessage(error)),
  });
  const assign = useMutation({
    mutationFn: (flowId: string | null) => api.assignFlow(number.id, flowId),
    onSuccess: (updated) => {
      refresh();
      toast.success(
        'Flow chosen',
        updated.flow ? `“${updated.flow.name}” now answers on ${updated.phone}.` : 'No flow answers now.',
      );
    },
    onError: (error) => toast.error('Could not choose the flow', errorMessage(error)),
  });
  const remove = useMutation({
    mutationFn: () => api.deleteNumber(number.id),
    onSuccess: () => {
      setDeleting(false);
      refresh();
      toast.success('Number deleted', `${number.phone} and its conversations were deleted.`);
    },
    onError: (error) => toast.error('Could not delete the number', errorMessage(error)),
  });

  const live = isLiveSession(state);
  // Log out only what is logged in: connected, or reconnecting with a saved login.
  const loggedIn = state === 'connected' || (state === 'reconnecting' && number.hasSession);
  const connectingNow = state === 'starting' || state === 'qr_pending' || state === 'reconnecting';
  const cancelButton = (
    <Button size="sm" variant="outline" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
      <X aria-hidden /> Cancel
    </Button>
  );
  const tryAgainButton = (
    <Button size="sm" onClick={() => connect.mutate('qr')} disabled={connect.isPending}>
      <RotateCcw aria-hidden /> Try again
    </Button>
  );
  const flowLabelId = `number-flow-${number.id}-label`;
  return (
    <li
      className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border bg-card px-4 py-3"
      data-testid={`number-${number.phone}`}
    >
      <span className="flex size-9 items-center justify-center rounded-full bg-accent text-primary">
        <Phone className="size-4" aria-hidden />
      </span>
      <div className="min-w-0 flex-1">
        <p className="font-medium">{number.phone}</p>
        <p className="truncate text-xs text-muted-foreground">{number.label ?? 'No name'}</p>
      </div>
      <StateBadge state={state} hasSession={number.hasSession} />
      <div className="flex w-56 flex-col gap-1 max-md:w-full">
        <span id={flowLabelId} className="sr-only">
          Flow on {number.phone}
        </span>
        <Select
          aria-labelledby={flowLabelId}
          value={number.flow?.id ?? NO_FLOW}
          onValueChange={(value) => assign.mutate(value === NO_FLOW ? null : value)}
          options={[{ value: NO_FLOW, label: 'No flow' }, ...flows]}
          disabled={!canEdit || assign.isPending}
        />
      </div>
      {isAdmin && (
        <div className="flex items-center gap-1">
          {connectingNow && cancelButton}
          {loggedIn && (
            <Button size="sm" variant="outline" onClick={() => logout.mutate()} disabled={logout.isPending}>
              <LogOut aria-hidden /> Log out
            </Button>
          )}
          {state === 'failed' && tryAgainButton}
          {(state === 'disconnected' || state === 'logged_out') && (
            <>
              <Button size="sm" onClick={() => connect.mutate('qr')} disabled={connect.isPending}>
                <QrCode aria-hidden /> Connect
              </Button>
              <Button
                size="sm"
                variant="ghost"
                onClick={() => connect.mutate('pairing_code')}
                disabled={connect.isPending}
              >
                <Smartphone aria-hidden /> Use a code
              </Button>
            </>
          )}
          <Button
            size="icon-sm"
            variant="ghost"
            aria-label={`Delete ${number.phone}`}
            onClick={() => setDeleting(true)}
          >
            <Trash2 aria-hidden />
          </Button>
        </div>
      )}
      {(reason !== null || STATE_HINTS[state] !== undefined) && (
        <div className="basis-full md:pl-13">
          <ReasonText state={state} reason={reason} />
        </div>
      )}
      <Dialog open={connecting} onOpenChange={setConnecting}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Connect {number.phone}</DialogTitle>
            <DialogDescription>
              Status: <StateBadge state={state} hasSession={number.hasSession} />
            </DialogDescription>
          </DialogHeader>
          <ConnectPanel event={event} reason={reason} />
          {isAdmin && (connectingNow || state === 'failed') && (
            <DialogFooter>{connectingNow ? cancelButton : tryAgainButton}</DialogFooter>
          )}
        </DialogContent>
      </Dialog>
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${number.phone}?`}
        description={
          loggedIn
            ? 'This number is connected. Log it out first, then delete it.'
            : live
              ? 'This number is being connected. Cancel that first, then delete it.'
              : 'Its conversations are deleted too. This cannot be undone.'
        }
        confirmLabel="Delete number"
        destructive
        busy={remove.isPending || live}
        onConfirm={() => remove.mutate()}
      />
    </li>
  );
}

/** WhatsApp numbers: their connection, live, and the flow that answers on each. */
export function NumbersPage() {
  const me = useSession((state) => state.me);
  const isAdmin = hasRole(me, 'admin');
  const canEdit = hasRole(me, 'editor');
  const [adding, setAdding] = useState(false);
  const numbers = useQuery({ queryKey: ['numbers', me?.workspaceId], queryFn: api.listNumbers });
  const flows = useQuery({ queryKey: ['flows', me?.workspaceId, 'all'], queryFn: () => api.listFlows() });
  const published = (flows.data ?? [])
    .filter((flow) => flow.publishedVersion !== null)
    .map((flow) => ({ value: flow.id, label: `${flow.name} (v${flow.publishedVersion})` }));
  const visible = (numbers.data ?? []).filter((number) => number.channel === 'whatsapp');

  return (
    <>
      <PageHeader
        title="Numbers"
        description="Your WhatsApp numbers, whether they are connected, and which flow answers on each."
        actions={
          isAdmin && (
            <Button onClick={() => setAdding(true)}>
              <Plus aria-hidden /> Add number
            </Button>
          )
        }
      />
      <div className="px-4 py-4 md:px-8 md:py-5">
        {numbers.isPending ? (
          <LoadingState label="Loading numbers…" />
        ) : numbers.isError ? (
          <ErrorState
            title="Numbers could not be loaded"
            message={errorMessage(numbers.error)}
            onRetry={() => void numbers.refetch()}
          />
        ) : visible.length === 0 ? (
          <EmptyState
            icon={<Phone />}
            title="No numbers yet"
            action={
              isAdmin && (
                <Button onClick={() => setAdding(true)}>
                  <Plus aria-hidden /> Add number
                </Button>
              )
            }
          >
            {isAdmin
              ? 'Add the WhatsApp number your customers write to, then connect it with a QR code.'
              : 'A workspace admin adds and connects numbers.'}
          </EmptyState>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Numbers">
            {visible.map((number) => (
              <NumberRow
                key={number.id}
                number={number}
                flows={published}
                isAdmin={isAdmin}
                canEdit={canEdit}
              />
            ))}
          </ul>
        )}
      </div>
      <AddNumberDialog open={adding} onOpenChange={setAdding} />
    </>
  );
}
