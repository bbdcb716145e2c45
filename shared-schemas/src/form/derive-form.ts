import type { FlowDocument, FlowNode } from '../flow/document.js';
import type { QuestionConfig } from '../nodes/question/index.js';
import { isMultiChoice } from '../nodes/question/index.js';
import { walkOrder } from '../validation/graph.js';

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

/** The widget a question gets in the form when the author did not pick one. */
function defaultWidget(config: QuestionConfig): string {
  if (config.accept === 'media') return 'file';
  if (config.accept === 'location') return 'location';
  if (config.choices !== undefined) return isMultiChoice(config) ? 'checkboxes' : 'radio';
  const format = (config.answer as { format?: unknown }).format;
  if (format === 'email') return 'email';
  if (format === 'phone') return 'phone';
  if (format === 'date') return 'date';
  if (config.answer.type === 'number' || config.answer.type === 'integer') return 'number';
  return 'text';
}

function fieldUi(config: QuestionConfig): FieldUiSchema {
  const ui = config.ui ?? {};
  return {
    'ui:widget': ui.widget ?? defaultWidget(config),
    'ui:title': ui.label ?? config.prompt,
    ...(ui.help === undefined ? {} : { 'ui:help': ui.help }),
    ...(ui.placeholder === undefined ? {} : { 'ui:placeholder': ui.placeholder }),
    ...(config.choices === undefined
      ? {}
      : { 'ui:options': { choices: config.choices.map(({ label, value }) => ({ label, value })) } }),
  };
}

/**
 * The answers a flow collects as a JSON Schema object (one property per question variable) and a
 * ui_schema in the order a conversation meets the questions. The editor's form preview, the
 * runtime's answer checks and the export columns all come from this.
 */
export function deriveForm(doc: FlowDocument): DerivedForm {
  const byId = new Map<string, FlowNode>(doc.nodes.map((node) => [node.id, node]));
  const walked = walkOrder(
    doc.triggers.map((trigger) => trigger.target),
    doc.edges,
    byId,
  );
  const walkedSet = new Set(walked);
  const ordered = [
    ...walked.map((id) => byId.get(id) as FlowNode),
    ...doc.nodes.filter((node) => !walkedSet.has(node.id)),
  ];
  const properties: AnswersSchema['properties'] = {};
  const uiSchema: UiSchema = { 'ui:order': [] };
  const questions: Record<string, QuestionConfig> = {};
  for (const node of ordered) {
    if (node.type !== 'question' || Object.hasOwn(properties, node.config.variable)) continue;
    const { variable, answer } = node.config;
    const ui = fieldUi(node.config);
    properties[variable] = { ...answer, title: ui['ui:title'] };
    uiSchema[variable] = ui;
    uiSchema['ui:order'].push(variable);
    questions[variable] = node.config;
  }
  return { answersSchema: { type: 'object', properties, additionalProperties: false }, uiSchema, questions };
}
