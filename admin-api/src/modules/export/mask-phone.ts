const MASK = '•••';

/**
 * Masks a contact for sharing: a phone number keeps its `+`, its first 4 digits (the country code
 * and the start of the national number) and its last 4 — `+15550100101` → `+1555•••0101` — always
 * hiding at least 3 digits (fewer are kept on short numbers). Anything else (a channel id) keeps
 * its last 4 characters at most. The mask has a fixed width, so it does not tell the length.
 */
export function maskPhone(contact: string): string {
  const trimmed = contact.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (/^\+?[\d\s().-]+$/.test(trimmed) && digits.length >= 4) {
    const end = Math.max(0, Math.min(4, digits.length - 3));
    const start = Math.max(0, Math.min(4, digits.length - end - 3));
    return `${trimmed.startsWith('+') ? '+' : ''}${digits.slice(0, start)}${MASK}${digits.slice(digits.length - end)}`;
  }
  return trimmed.length <= 7 ? MASK : `${MASK}${trimmed.slice(-4)}`;
}
