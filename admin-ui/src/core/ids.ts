/**
 * Short readable ids (`n7`, `e12`, `c3`): the prefix followed by one more than the largest number
 * already used with that prefix, so ids never repeat within a document.
 */
export function nextId(prefix: string, taken: Iterable<string>): string {
  return nextIds(prefix, taken, 1)[0] as string;
}

/** `count` fresh ids with a prefix, in increasing order. */
export function nextIds(prefix: string, taken: Iterable<string>, count: number): string[] {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`);
  let max = 0;
  const used = new Set<string>();
  for (const id of taken) {
    used.add(id);
    const match = pattern.exec(id);
    if (match) max = Math.max(max, Number(match[1]));
  }
  const ids: string[] = [];
  let n = max;
  while (ids.length < count) {
    n += 1;
    const id = `${prefix}${n}`;
    if (!used.has(id)) ids.push(id);
  }
  return ids;
}

/** A value for a choice from its label: lower case, words joined by `_` (`Pro plan` → `pro_plan`). */
export function slugify(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'option' : slug.slice(0, 60);
}
