import type { FlowDocument } from '../flow/document.js';
import { flowOrder } from '../flow/flow-order.js';
import type { QuestionConfig } from '../nodes/question/index.js';
import { nodeDefinition } from '../nodes/registry.js';

export interface AnswersSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  additionalProperties: false;
}

export interface FieldUiSchema {
  'ui:widget': string;
  'ui:title': string;
  'ui:help'?: string;
  'ui:placeholder'?: string;
  /** The choices of a choice question, for rendering radios/checkboxes with labels. */
  'ui:options'?: { choices: { label: string; value: string | number }[] };
}

export type UiSchema = { 'ui:order': string[] } & Record<string, FieldUiSchema | string[]>;

export interface DerivedForm {
  answersSchema: AnswersSchema;
  uiSchema: UiSchema;
  /** The question behind each field, so a preview reads typed answers exactly as the chat does. */
  questions: Record<string, QuestionConfig>;
}

/**
 * The answers a flow collects as a JSON Schema object (one property per question variable) and a
 * ui_schema in the order a conversation meets the questions. The editor's form preview, the
 * runtime's answer checks and the export columns all come from this.
 */
export function deriveForm(doc: FlowDocument): DerivedForm {
  const properties: AnswersSchema['properties'] = {};
  const uiSchema: UiSchema = { 'ui:order': [] };
  const questions: Record<string, QuestionConfig> = {};
  for (const node of flowOrder(doc)) {
    const asked = nodeDefinition(node.type).asks?.(node.config);
    if (asked === undefined || Object.hasOwn(properties, asked.variable)) continue;
    properties[asked.variable] = { ...asked.answer, title: asked.field['ui:title'] };
    uiSchema[asked.variable] = asked.field;
    uiSchema['ui:order'].push(asked.variable);
    questions[asked.variable] = asked.question;
  }
  return { answersSchema: { type: 'object', properties, additionalProperties: false }, uiSchema, questions };
}
