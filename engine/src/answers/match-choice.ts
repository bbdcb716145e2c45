import type { Choice } from '@parley/schemas';

const sameText = (a: string, b: string) => a.toLocaleLowerCase() === b.toLocaleLowerCase();

/** The choice a reply names: by label, then by value (both case-insensitive), then by its 1-based number. */
export function matchChoice(choices: Choice[], reply: string): Choice | undefined {
  const text = reply.trim();
  if (text === '') return undefined;
  const byLabel = choices.find((choice) => sameText(choice.label, text));
  if (byLabel !== undefined) return byLabel;
  const byValue = choices.find((choice) => sameText(String(choice.value), text));
  if (byValue !== undefined) return byValue;
  if (/^\d+$/.test(text)) return choices[Number(text) - 1];
  return undefined;
}

/**
 * The choices a multi-choice reply names, in the order given, without duplicates: the whole reply as
 * one choice first, else split on commas (on white space when there is no comma). Null when any part
 * names no choice.
 */
export function matchChoices(choices: Choice[], reply: string): Choice[] | null {
  const whole = matchChoice(choices, reply);
  if (whole !== undefined) return [whole];
  const parts = (reply.includes(',') ? reply.split(',') : reply.trim().split(/\s+/))
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return null;
  const picked: Choice[] = [];
  for (const part of parts) {
    const choice = matchChoice(choices, part);
    if (choice === undefined) return null;
    if (!picked.includes(choice)) picked.push(choice);
  }
  return picked;
}
