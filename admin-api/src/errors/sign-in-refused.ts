import { DomainError } from './domain-errors.js';

/**
 * A sign-in refused: wrong password, unknown email, or too soon after a wrong password for that
 * email from this client. All three answer exactly alike, so the answer tells nobody which emails
 * have accounts or whether a password was even checked.
 */
export class SignInRefused extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'unauthenticated',
      'The email or password is not right. After a wrong try, wait a few seconds before the next one.',
    );
  }
}
