import {
  CONDITION_OPS,
  type ConditionOp,
  type FlowNode,
  isMultiChoice,
  nodeDefinition,
  type QuestionConfig,
} from '@parley/schemas';

/** What a flow can read by name: the variables its nodes define, and the contact's and flow's values. */
export interface FlowVariable {
  /** The path a rule or a template names: `email`, `contact.name`. */
  name: string;
  /** What it holds, in words: "email address", "one of 3 choices", "number". */
  kind: string;
  /** Where it comes from: the question's text, "Set variable", "HTTP request", "the contact". */
  from: string;
  /** The question that asks for it, when one does: its choices and answer type decide the rule. */
  question?: QuestionConfig;
}

const BUILT_IN: FlowVariable[] = [
  { name: 'contact.name', kind: 'text', from: 'the contact’s WhatsApp name' },
  { name: 'contact.phone', kind: 'phone number', from: 'the contact’s WhatsApp number' },
  { name: 'flow.name', kind: 'text', from: 'this flow' },
];

function answerKind(question: QuestionConfig): string {
  if (question.choices !== undefined) {
    return isMultiChoice(question)
      ? `several of ${question.choices.length} choices`
      : `one of ${question.choices.length} choices`;
  }
  if ((question.accept ?? 'text') !== 'text')
    return question.accept === 'media' ? 'photo or file' : 'location';
  const answer = question.answer as { type: string; format?: string };
  if (answer.format === 'email') return 'email address';
  if (answer.format === 'phone') return 'phone number';
  if (answer.format === 'date') return 'date';
  if (answer.type === 'integer') return 'whole number';
  if (answer.type === 'number') return 'number';
  if (answer.type === 'boolean') return 'yes or no';
  return 'text';
}

/** Every variable the flow defines, first definition first, then the built-in ones. */
export function flowVariables(nodes: Pick<FlowNode, 'type' | 'config'>[]): FlowVariable[] {
  const found = new Map<string, FlowVariable>();
  for (const node of nodes) {
    const definition = nodeDefinition(node.type);
    const asked = definition.asks?.(node.config as never);
    if (asked !== undefined && !found.has(asked.variable)) {
      found.set(asked.variable, {
        name: asked.variable,
        kind: answerKind(asked.question),
        from: asked.question.ui?.label ?? asked.question.prompt,
        question: asked.question,
      });
    }
    for (const name of definition.references(node.config as never).defines) {
      if (!found.has(name)) found.set(name, { name, kind: 'value', from: definition.title });
    }
  }
  return [...found.values(), ...BUILT_IN];
}

const FOR_CHOICE: ConditionOp[] = ['eq', 'neq', 'in', 'is_set', 'is_empty'];
const FOR_CHOICES: ConditionOp[] = ['contains', 'is_set', 'is_empty'];
const FOR_NUMBER: ConditionOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is_set', 'is_empty'];
const FOR_YES_NO: ConditionOp[] = ['eq', 'is_set', 'is_empty'];
const FOR_TEXT: ConditionOp[] = ['eq', 'neq', 'contains', 'in', 'matches', 'is_set', 'is_empty'];

/** The comparisons that make sense for what a variable holds; every one when it is not known. */
export function operatorsFor(variable: FlowVariable | undefined): readonly ConditionOp[] {
  const question = variable?.question;
  if (question === undefined) return CONDITION_OPS;
  if (question.choices !== undefined) return isMultiChoice(question) ? FOR_CHOICES : FOR_CHOICE;
  const type = question.answer.type;
  if (type === 'number' || type === 'integer') return FOR_NUMBER;
  if (type === 'boolean') return FOR_YES_NO;
  return FOR_TEXT;
}
