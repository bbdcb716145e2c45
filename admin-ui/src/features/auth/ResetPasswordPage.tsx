import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useLocation } from 'react-router';
import { AuthCard } from '@/components/auth-card';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-messages';
import { NewPasswordField, newPasswordRules, RepeatPasswordField } from '@/components/ui/new-password-field';
import { Spinner } from '@/components/ui/states';
import { api, errorMessage } from '@/infrastructure/api';

interface ResetForm {
  newPassword: string;
  repeated: string;
}

/**
 * Where a password reset link an admin passed on lands. The code travels in the link's #fragment,
 * which browsers never send to a server, so it stays out of every request log.
 */
export function ResetPasswordPage() {
  const code = new URLSearchParams(useLocation().hash.slice(1)).get('code') ?? '';
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ResetForm>({ defaultValues: { newPassword: '', repeated: '' } });
  const [done, setDone] = useState(false);

  const onSubmit = handleSubmit(async ({ newPassword }) => {
    try {
      await api.redeemPasswordReset(code, newPassword);
      setDone(true);
    } catch (error) {
      setError('root', { message: errorMessage(error) });
    }
  });

  return (
    <AuthCard title="Choose a new password">
      {code === '' ? (
        <p className="mt-3 text-sm text-muted-foreground">
          This page needs the whole link your admin sent you. Open that link again, or ask them for a new one.
        </p>
      ) : done ? (
        <div role="status" className="mt-3 flex flex-col gap-4 text-sm">
          <p>Your new password is set. You are signed out everywhere; sign in with the new password.</p>
          <Button asChild>
            <Link to="/sign-in">Sign in</Link>
          </Button>
        </div>
      ) : (
        <form className="mt-5 flex flex-col gap-4" onSubmit={onSubmit} noValidate>
          <NewPasswordField
            id="reset-new"
            label="New password"
            autoFocus
            error={errors.newPassword?.message}
            registration={register('newPassword', newPasswordRules('Choose a new password.'))}
          />
          <RepeatPasswordField
            id="reset-again"
            label="New password again"
            error={errors.repeated?.message}
            registration={register('repeated', {
              validate: (value, values) => value === values.newPassword || 'The two passwords differ.',
            })}
          />
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting && <Spinner label="Saving" />}
            Set the new password
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
