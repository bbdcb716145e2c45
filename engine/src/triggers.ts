import { searchPattern, type Trigger } from '@parley/schemas';

function keywordMatches(trigger: Extract<Trigger, { type: 'keyword' }>, text: string): boolean {
  const input = text.trim().toLocaleLowerCase();
  switch (trigger.match ?? 'exact') {
    case 'exact':
      return trigger.keywords.some((keyword) => keyword.trim().toLocaleLowerCase() === input);
    case 'contains':
      return trigger.keywords.some((keyword) => input.includes(keyword.trim().toLocaleLowerCase()));
    case 'regex':
      return trigger.keywords.some((keyword) => searchPattern(keyword, text.trim(), { ignoreCase: true }));
  }
}

export function triggerMatches(trigger: Trigger, text: string | undefined): boolean {
  if (trigger.type === 'any_message') return true;
  return text !== undefined && keywordMatches(trigger, text);
}

/** The first trigger (in flow order) an inbound message matches; `interruptOnly` while a conversation runs. */
export function findTrigger(
  triggers: Trigger[],
  text: string | undefined,
  interruptOnly: boolean,
): Trigger | undefined {
  return triggers.find(
    (trigger) => (!interruptOnly || trigger.interrupt === true) && triggerMatches(trigger, text),
  );
}
