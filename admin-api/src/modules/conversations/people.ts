import type { InboxPerson } from '@parley/contract';

/**
 * How the inbox and transcripts name a person of the team. Accounts have no display name: the part
 * of the email before the @ reads as one, and keeps the rest of the address (often a private one)
 * out of what colleagues — and, through the runtime, contacts — see.
 */
export function personName(email: string): string {
  const local = email.split('@')[0] ?? '';
  return local === '' ? email : local;
}

/** The person behind a user id and email, or null when there is none (no one, or an account removed). */
export function personOf(userId: string | null, email: string | null): InboxPerson | null {
  return userId === null || email === null ? null : { id: userId, name: personName(email) };
}
