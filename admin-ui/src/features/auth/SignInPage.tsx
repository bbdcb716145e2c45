import { useForm } from 'react-hook-form';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { AuthCard } from '@/components/auth-card';
import { Button } from '@/components/ui/button';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/states';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';

interface SignInForm {
  email: string;
  password: string;
}

export function SignInPage() {
  const token = useSession((state) => state.token);
  const notice = useSession((state) => state.notice);
  const signIn = useSession((state) => state.signIn);
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/flows';
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SignInForm>({ defaultValues: { email: '', password: '' } });

  if (token !== null) return <Navigate to={from} replace />;

  const onSubmit = handleSubmit(async ({ email, password }) => {
    try {
      const { token: issued, user } = await api.login(email.trim(), password);
      signIn(issued, user.workspaces[0]?.workspaceId ?? null);
      // Someone in no workspace yet can only answer invitations.
      navigate(user.workspaces.length === 0 ? '/invitations' : from, { replace: true });
    } catch (error) {
      setError('root', { message: errorMessage(error) });
    }
  });

  return (
    <AuthCard
      title="Sign in"
      footer={
        <p className="mt-6 text-center text-xs text-muted-foreground">
          The first admin’s password is printed when Parley starts for the first time.
        </p>
      }
    >
      <p className="mt-1 text-sm text-muted-foreground">Build and run your WhatsApp conversations.</p>
      {notice && (
        <p role="status" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {notice}
        </p>
      )}
      <form className="mt-5 flex flex-col gap-4" onSubmit={onSubmit} noValidate>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="email">Email</Label>
          <Input
            id="email"
            type="email"
            autoComplete="username"
            autoFocus
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? 'email-error' : undefined}
            {...register('email', {
              required: 'Enter your email address.',
              pattern: { value: /^\S+@\S+$/, message: 'That doesn’t look like an email address.' },
            })}
          />
          <FieldError id="email-error" message={errors.email?.message} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? 'password-error' : undefined}
            {...register('password', { required: 'Enter your password.' })}
          />
          <FieldError id="password-error" message={errors.password?.message} />
        </div>
        {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
        <Button type="submit" disabled={isSubmitting} className="mt-1">
          {isSubmitting && <Spinner label="Signing in" />}
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
