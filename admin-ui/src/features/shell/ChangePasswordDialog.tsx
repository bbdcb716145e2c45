import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
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
import { NewPasswordField, newPasswordRules, RepeatPasswordField } from '@/components/ui/new-password-field';
import { Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { ApiError, api, errorMessage } from '@/infrastructure/api';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeated: string;
}

/** Changes the signed-in person's own password; their other devices are signed out. */
export function ChangePasswordDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const form = useForm<PasswordForm>({
    defaultValues: { currentPassword: '', newPassword: '', repeated: '' },
  });
  const change = useMutation({
    mutationFn: (values: PasswordForm) => api.changePassword(values.currentPassword, values.newPassword),
    onSuccess: () => {
      toast.success('Password changed', 'Your other devices are signed out; this one stays signed in.');
      form.reset();
      onOpenChange(false);
    },
    onError: (error) => {
      const wrongCurrent = error instanceof ApiError && error.status === 400;
      if (wrongCurrent) form.setError('currentPassword', { message: 'This is not your current password.' });
      else form.setError('root', { message: errorMessage(error) });
    },
  });
  const { errors } = form.formState;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) form.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Change your password</DialogTitle>
          <DialogDescription>
            Anyone signed in as you on another device is signed out when you change it.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => change.mutate(values))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="current-password">Current password</Label>
            <Input
              id="current-password"
              type="password"
              autoComplete="current-password"
              aria-invalid={errors.currentPassword ? true : undefined}
              aria-describedby={errors.currentPassword ? 'current-password-error' : undefined}
              {...form.register('currentPassword', { required: 'Enter the password you use now.' })}
            />
            <FieldError id="current-password-error" message={errors.currentPassword?.message} />
          </div>
          <NewPasswordField
            id="new-password"
            label="New password"
            error={errors.newPassword?.message}
            registration={form.register('newPassword', newPasswordRules('Choose a new password.'))}
          />
          <RepeatPasswordField
            id="repeated-password"
            label="New password again"
            error={errors.repeated?.message}
            registration={form.register('repeated', {
              validate: (value, values) => value === values.newPassword || 'The two new passwords differ.',
            })}
          />
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={change.isPending}>
              {change.isPending && <Spinner label="Changing" />}
              Change password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
