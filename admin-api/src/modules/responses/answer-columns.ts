import { deriveForm, type FlowDocument, storedAnswers } from '@parley/schemas';
import type { VersionDefinition } from './responses.repository.js';

/** One answer variable: a column of the responses table and of the exports. */
export interface AnswerColumn {
  variable: string;
  /** The question's label (or prompt) in the newest version that asks it. */
  title: string;
  /** The JSON Schema type of the answer: string, number, integer, boolean, array or object. */
  type: string;
  /** A phone or email answer: personal data a masked export hides. */
  personal: 'phone' | 'email' | null;
}

function personalOf(fragment: Record<string, unknown> | undefined): AnswerColumn['personal'] {
  return fragment?.format === 'phone' || fragment?.format === 'email' ? fragment.format : null;
}

function typeOf(fragment: Record<string, unknown> | undefined): string {
  const type = fragment?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.filter((item) => item !== 'null').join('|') || 'string';
  return 'string';
}

/**
 * The union of the answer variables of several versions, in flow order: the first (newest)
 * version's order, then the variables only older versions had, each in its version's order.
 * The order comes from `deriveForm(...).uiSchema['ui:order']`, not from the stored answers
 * schema, whose properties JSONB keeps in its own key order; the answers blocks store without
 * asking (an AI extraction's fields) follow a version's questions.
 */
export function answerColumns(versions: VersionDefinition[]): AnswerColumn[] {
  const columns = new Map<string, AnswerColumn>();
  for (const { definition } of versions) {
    let form: ReturnType<typeof deriveForm>;
    let stored: ReturnType<typeof storedAnswers>;
    try {
      form = deriveForm(definition as FlowDocument);
      stored = storedAnswers(definition as FlowDocument);
    } catch {
      continue; // A stored definition that no longer reads as a Flow Document adds no columns.
    }
    for (const variable of form.uiSchema['ui:order']) {
      if (columns.has(variable)) continue;
      const fragment = form.answersSchema.properties[variable];
      const title = typeof fragment?.title === 'string' && fragment.title !== '' ? fragment.title : variable;
      columns.set(variable, { variable, title, type: typeOf(fragment), personal: personalOf(fragment) });
    }
    for (const answer of stored) {
      if (columns.has(answer.variable)) continue;
      columns.set(answer.variable, {
        variable: answer.variable,
        title: answer.title,
        type: typeOf(answer.answer),
        personal: personalOf(answer.answer),
      });
    }
  }
  return [...columns.values()];
}
