const YES = new Set(['yes', 'y', 'true', '1', 'sim', 'si', 'sí', 'oui', 'ja']);
const NO = new Set(['no', 'n', 'false', '0', 'não', 'nao', 'non', 'nein']);

/** A yes/no reply as a boolean, or null. */
export function parseBoolean(text: string): boolean | null {
  const word = text.trim().toLocaleLowerCase();
  if (YES.has(word)) return true;
  if (NO.has(word)) return false;
  return null;
}
