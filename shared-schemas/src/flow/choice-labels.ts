import { isNodeType, nodeDefinition } from '../nodes/registry.js';
import type { FlowDocument } from './document.js';

/** What each choice question's stored values read as: variable → stored value (as text) → label. */
export type ChoiceLabels = Map<string, Map<string, string>>;

/**
 * The labels of the choices of several versions of a flow, newest first: a value keeps the label
 * of the newest version that offers it, so a renamed choice reads as it is called today.
 */
export function choiceLabels(documents: FlowDocument[]): ChoiceLabels {
  const labels: ChoiceLabels = new Map();
  for (const document of documents) {
    for (const node of document.nodes) {
      // Stored drafts may name a type this version does not know: they have no choices to read.
      if (!isNodeType(node.type)) continue;
      const asked = nodeDefinition(node.type).asks?.(node.config as never);
      if (asked === undefined) continue;
      const { variable, choices } = asked.question;
      // Stored test drafts are not validated: read only what is there.
      if (!Array.isArray(choices)) continue;
      const byValue = labels.get(variable) ?? new Map<string, string>();
      for (const choice of choices) {
        if (!byValue.has(String(choice.value))) byValue.set(String(choice.value), choice.label);
      }
      labels.set(variable, byValue);
    }
  }
  return labels;
}

/** An answer with each chosen value written as its choice's label; any other answer as it is. */
export function answerByLabel(labels: ChoiceLabels, variable: string, value: unknown): unknown {
  const byValue = labels.get(variable);
  if (byValue === undefined) return value;
  const label = (item: unknown) =>
    typeof item === 'string' || typeof item === 'number' ? (byValue.get(String(item)) ?? item) : item;
  return Array.isArray(value) ? value.map(label) : label(value);
}
