/**
 * A JSON value with every trace of `contact` removed: strings mentioning it, and keys naming it,
 * go (a test-contact list keeps its other entries). Number settings are free-form, so erasure
 * cannot know where an admin put a phone.
 */
export function withoutContact(value: unknown, contact: string): unknown {
  if (Array.isArray(value)) {
    return value.filter((item) => !mentions(item, contact)).map((item) => withoutContact(item, contact));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, item]) => !key.includes(contact) && !mentions(item, contact))
        .map(([key, item]) => [key, withoutContact(item, contact)]),
    );
  }
  return value;
}

function mentions(value: unknown, contact: string): boolean {
  return typeof value === 'string' && value.includes(contact);
}
