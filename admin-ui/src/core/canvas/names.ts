import { type FlowNode, isNodeType, nodeDefinition, nodeName, type Trigger } from '@parley/schemas';
import type { TriggerSettings } from './model';

/** When a Start card starts a conversation, in words: “Message is “hi””, “Any message”. */
export function describeTrigger(trigger: TriggerSettings): string {
  if (trigger.type === 'any_message') return 'Any message';
  const words = trigger.keywords.map((keyword) => `“${keyword}”`).join(', ');
  const match = trigger.match ?? 'exact';
  if (match === 'regex') return `Matches ${words}`;
  return match === 'contains' ? `Message contains ${words}` : `Message is ${words}`;
}

/**
 * A block as the problems list names it. A block whose settings fail their schema is named by its
 * own label or its type alone: its summary may read settings that are not there.
 */
export function blockName(node: FlowNode, settingsSound: boolean): string {
  if (!isNodeType(node.type)) return 'A block of an unknown kind';
  if (settingsSound) return nodeName(node);
  const title = nodeDefinition(node.type).title;
  return typeof node.label === 'string' && node.label !== '' ? `${title} “${node.label}”` : title;
}

/** A Start card as the problems list names it. */
export function startName(trigger: Trigger, settingsSound: boolean): string {
  return settingsSound ? `Start (${describeTrigger(trigger)})` : 'Start';
}
