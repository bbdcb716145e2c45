import type { Member } from '@parley/contract';
import { useMutation, useQuery } from '@tanstack/react-query';
import { MailWarning } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
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
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { formatWhen } from '@/lib/format';

/**
 * Makes a one-time reset link for a person, after a confirmation, and shows it once to pass on.
 * Where the server sends mail, the link can also be mailed to them (asked by default).
 */
export function PasswordResetDialog({ member, onDone }: { member: Member | null; onDone: () => void }) {
  const policy = useQuery({ queryKey: ['policy'], queryFn: api.policy, staleTime: Number.POSITIVE_INFINITY });
  const emailEnabled = policy.data?.emailEnabled === true;
  const [sendEmail, setSendEmail] = useState(true);
  const issue = useMutation({
    mutationFn: (target: Member) => api.issuePasswordReset(target.id, emailEnabled && sendEmail),
    onError: (error) => {
      toast.error('No reset link was made', errorMessage(error));
      onDone();
    },
  });
  if (member === null) return null;
  const close = () => {
    issue.reset();
    setSendEmail(true);
    onDone();
  };
  if (issue.data === undefined) {
    return (
      <ConfirmDialog
        open
        onOpenChange={(open) => !open && close()}
        title={`Make a password reset link for ${member.email}?`}
        description="It works once, for a day. Their current password keeps working until they use it, and an earlier link stops working."
        confirmLabel="Make the link"
        busy={issue.isPending}
        onConfirm={() => issue.mutate(member)}
      >
        {emailEnabled && (
          <div className="flex items-center gap-2">
            <Checkbox
              id="reset-send-email"
              checked={sendEmail}
              onCheckedChange={(checked) => setSendEmail(checked === true)}
            />
            <Label htmlFor="reset-send-email" className="font-normal">
              Also email the link to {member.email}
            </Label>
          </div>
        )}
      </ConfirmDialog>
    );
  }
  const { code, expiresAt, emailedTo, emailError } = issue.data;
  const link = `${window.location.origin}/reset-password#code=${code}`;
  return (
    <Dialog open onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Password reset link for {member.email}</DialogTitle>
          <DialogDescription>
            {emailedTo === undefined
              ? 'Send it to them in a private message.'
              : `It is on its way to ${emailedTo}; you can also pass it on yourself.`}{' '}
            It is shown only now, works once and stops working {formatWhen(expiresAt)}. They can also type the
            code at the end of the link as a one-time password when they sign in.
          </DialogDescription>
        </DialogHeader>
        {emailError !== undefined && (
          <p
            role="alert"
            className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          >
            <MailWarning className="mt-0.5 size-4 shrink-0" aria-hidden />
            {emailError}
          </p>
        )}
        <Input
          readOnly
          value={link}
          aria-label="Reset link"
          onFocus={(event) => event.currentTarget.select()}
        />
        <DialogFooter>
          <Button
            variant="outline"
            onClick={() =>
              navigator.clipboard
                .writeText(link)
                .then(() => toast.success('Link copied', 'Paste it into a private message to them.'))
                .catch((error: unknown) => toast.error('Could not copy the link', errorMessage(error)))
            }
          >
            Copy link
          </Button>
          <Button onClick={close}>Done</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
