import { nodeDefinition } from '../nodes/registry.js';
import type { FlowNode } from './document.js';

const MAX = 60;

/**
 * A node as people name it: its type and its label, else its summary or the first text it sends
 * ("Question “Preferred date”"); its type alone ("End") when it has nothing to show, never its id.
 */
export function nodeName(node: Pick<FlowNode, 'type' | 'config' | 'label'>): string {
  const definition = nodeDefinition(node.type);
  const config = node.config as never;
  const text = node.label ?? definition.summary?.(config) ?? definition.references(config).templates[0]?.text;
  if (text === undefined || text.trim() === '') return definition.title;
  const short = text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
  return `${definition.title} “${short}”`;
}
