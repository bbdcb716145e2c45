/**
 * A name that could be written as a variable name (letters, digits and _, not starting with a
 * digit), made from what someone typed: a suggestion for a name the schema refuses.
 */
export function suggestedName(text: string): string {
  const name = text
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
