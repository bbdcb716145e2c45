import type { UseFormRegisterReturn } from 'react-hook-form';
import { FieldError } from './form-messages';
import { Input } from './input';
import { Label } from './label';

/** The rules every new password follows, as the API checks them. */
export const newPasswordRules = (whenEmpty: string) => ({
  required: whenEmpty,
  minLength: { value: 10, message: 'Use at least 10 characters.' },
});

/** A new password's field: its help says what is needed, and turns into the error when it is not met. */
export function NewPasswordField({
  id,
  label,
  error,
  registration,
  autoFocus = false,
}: {
  id: string;
  label: string;
  error: string | undefined;
  registration: UseFormRegisterReturn;
  autoFocus?: boolean;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="password"
        autoComplete="new-password"
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        {...registration}
      />
      <p id={`${id}-help`} className={error ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}>
        {error ?? 'At least 10 characters.'}
      </p>
    </div>
  );
}

/** The new password typed a second time, checked against the first. */
export function RepeatPasswordField({
  id,
  label,
  error,
  registration,
}: {
  id: string;
  label: string;
  error: string | undefined;
  registration: UseFormRegisterReturn;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="password"
        autoComplete="new-password"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...registration}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
