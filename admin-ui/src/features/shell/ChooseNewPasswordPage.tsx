import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { AuthCard } from '@/components/auth-card';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-messages';
import { NewPasswordField, newPasswordRules, RepeatPasswordField } from '@/components/ui/new-password-field';
import { Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';

interface ChooseForm {
  newPassword: string;
  repeated: string;
}

/**
 * After signing in with a one-time password (from an admin or `parley admin reset-password`): the
 * person chooses their own before anything else. No current password is asked: it is what was lost.
 */
export function ChooseNewPasswordPage({ email }: { email: string }) {
  const queryClient = useQueryClient();
  const signOut = useSession((state) => state.signOut);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ChooseForm>({ defaultValues: { newPassword: '', repeated: '' } });

  const onSubmit = handleSubmit(async ({ newPassword }) => {
    try {
      await api.changePassword(undefined, newPassword);
    } catch (error) {
      setError('root', { message: errorMessage(error) });
      return;
    }
    toast.success('Password set', 'Use it from now on; the one-time password no longer works.');
    await queryClient.invalidateQueries({ queryKey: ['me'] });
  });

  return (
    <AuthCard title="Choose your new password">
      <p className="mt-2 text-sm text-muted-foreground">
        You signed in as <span className="font-medium text-foreground">{email}</span> with a one-time
        password. Choose your own to go on; anyone signed in as you elsewhere is signed out.
      </p>
      <form className="mt-5 flex flex-col gap-4" onSubmit={onSubmit} noValidate>
        <NewPasswordField
          id="choose-new"
          label="New password"
          autoFocus
          error={errors.newPassword?.message}
          registration={register('newPassword', newPasswordRules('Choose a new password.'))}
        />
        <RepeatPasswordField
          id="choose-again"
          label="New password again"
          error={errors.repeated?.message}
          registration={register('repeated', {
            validate: (value, values) => value === values.newPassword || 'The two passwords differ.',
          })}
        />
        {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting && <Spinner label="Saving" />}
          Set my password
        </Button>
        <Button type="button" variant="link" onClick={() => signOut()}>
          Sign out instead
        </Button>
      </form>
    </AuthCard>
  );
}
