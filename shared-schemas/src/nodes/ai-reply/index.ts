import { type Static, Type } from '@sinclair/typebox';
import { error, type Problem } from '../../validation/problem.js';
import { AI_MODEL_UI, AiCredentialId, AiModelName, missingCredential } from '../ai-model.js';
import { HttpHeaders, HttpUrl, headerTemplates, refusedAddress, unsavedSecrets } from '../http-parts.js';
import { defineNode } from '../node-definition.js';
import { duplicateNames, NonEmptyText, VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';

/** Tools every AI reply has: the engine acts on them, so no declared tool may take their names. */
export const AI_REPLY_BUILTIN_TOOLS = ['finish', 'handoff', 'save_variables'] as const;

export const AI_TOOL_PARAMETER_TYPES = ['string', 'number', 'boolean'] as const;

export const AiToolParameter = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]{0,39}$',
      'x-message': 'Use letters, digits and _ only (no spaces), starting with a letter.',
    }),
    type: StringEnum(AI_TOOL_PARAMETER_TYPES),
    description: Type.String({ maxLength: 500 }),
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/**
 * A web service the model may call. The address is the admin's (templated with the conversation's
 * values, never with the model's words); the model fills only the parameters, which go as the JSON
 * body (POST) or the query string (GET).
 */
export const AiTool = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,39}$',
      'x-message': 'Use lower-case letters, digits and _ only, starting with a letter.',
    }),
    description: NonEmptyText({ maxLength: 1000 }),
    method: Type.Optional(StringEnum(['GET', 'POST'] as const)),
    url: HttpUrl,
    parameters: Type.Optional(Type.Array(AiToolParameter, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type AiTool = Static<typeof AiTool>;

/** A variable the model may fill while it talks (with the built-in `save_variables` tool). */
export const AiSavedVariable = Type.Object(
  { name: VariableName, description: Type.String({ maxLength: 300 }) },
  { additionalProperties: false },
);

export const AI_MEMORY = ['block', 'conversation'] as const;

export const AiReplyConfig = Type.Object(
  {
    credentialId: AiCredentialId,
    model: AiModelName,
    prompt: NonEmptyText({ maxLength: 8000 }),
    goal: NonEmptyText({ maxLength: 1000 }),
    saveVariables: Type.Optional(Type.Array(AiSavedVariable, { maxItems: 20 })),
    tools: Type.Optional(Type.Array(AiTool, { maxItems: 10 })),
    headers: Type.Optional(HttpHeaders),
    memory: Type.Optional(StringEnum(AI_MEMORY)),
    maxTurns: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    maxMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 500, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type AiReplyConfig = Static<typeof AiReplyConfig>;

/** What an AI reply block allows when its settings leave a budget out. */
export const AI_REPLY_DEFAULTS = { maxTurns: 10, maxMinutes: 30, maxTokens: 20_000 } as const;

export const aiReplyNode = defineNode({
  type: 'ai_reply',
  title: 'AI reply',
  description: 'A language model talks with the contact until its goal is met, and may call your services.',
  category: 'ai',
  configSchema: AiReplyConfig,
  settingsUi: {
    'ui:order': [
      'credentialId',
      'model',
      'prompt',
      'goal',
      'saveVariables',
      'tools',
      'headers',
      'memory',
      'maxTurns',
      'maxMinutes',
      'maxTokens',
    ],
    ...AI_MODEL_UI,
    prompt: {
      'ui:widget': 'textarea',
      'ui:title': 'Instructions',
      'ui:help': 'Who the assistant is and how it talks. {{variable}} values are filled in.',
      'ui:placeholder': 'You are the booking assistant of Ana’s Dental. Be brief and friendly.',
    },
    goal: {
      'ui:widget': 'textarea',
      'ui:title': 'Done when',
      'ui:help': 'The model leaves by “Done” once this is true.',
      'ui:placeholder': 'The contact has picked a day and a time for the visit.',
    },
    saveVariables: {
      'ui:widget': 'own',
      'ui:title': 'Save to variables',
      'ui:help': 'What the model should note down while it talks.',
    },
    tools: {
      'ui:widget': 'own',
      'ui:title': 'Tools',
      'ui:help': 'Your web services the model may call (it fills in the parameters).',
    },
    headers: {
      'ui:widget': 'keyValue',
      'ui:title': 'Headers for tools',
      'ui:help': 'Sent with every tool call (a key or password is kept secret).',
    },
    memory: { 'ui:widget': 'select', 'ui:title': 'Memory' },
    maxTurns: { 'ui:widget': 'number', 'ui:title': 'Most replies', 'ui:help': 'Default 10.' },
    maxMinutes: { 'ui:widget': 'number', 'ui:title': 'Most minutes', 'ui:help': 'Default 30.' },
    maxTokens: { 'ui:widget': 'number', 'ui:title': 'Most tokens', 'ui:help': 'Default 20000.' },
  },
  defaults: () => ({
    credentialId: '',
    model: '',
    prompt: 'You are the friendly assistant of {{flow.name}}. Answer briefly.',
    goal: 'The contact’s question is answered.',
  }),
  handles: () => [
    { id: 'done', label: 'Done' },
    { id: 'handoff', label: 'Wants a person' },
    { id: 'failure', label: 'Failure' },
  ],
  references: (config) => ({
    templates: [
      { pointer: '/prompt', text: config.prompt },
      ...(config.tools ?? []).map((tool, index) => ({ pointer: `/tools/${index}/url`, text: tool.url })),
      ...headerTemplates(config.headers),
    ],
    reads: [],
    defines: (config.saveVariables ?? []).map((variable) => variable.name),
  }),
  stops: 'wait',
  stores: (config) =>
    (config.saveVariables ?? []).map((variable) => ({
      variable: variable.name,
      title: variable.description || variable.name,
      answer: { type: 'string' },
    })),
  summary: (config) => config.goal,
  secretRecord: 'headers',
  unsetOn: (config) => {
    const saved = (config.saveVariables ?? []).map((variable) => variable.name);
    return { done: saved, handoff: saved, failure: saved };
  },
  unconnected: () => ({
    handoff:
      'When the model decides the contact needs a person, the conversation ends here and nobody is told. Connect “Wants a person” to a Hand off block.',
    failure:
      'When the model cannot be reached or a budget runs out, the conversation ends here without a word to the contact. Connect “Failure” to tell them.',
  }),
  check: (config, ctx) => [
    ...missingCredential(config, ctx),
    ...toolProblems(config.tools ?? [], ctx.pointer),
    ...(ctx.allowPrivateHttp
      ? []
      : (config.tools ?? []).flatMap((tool, index) =>
          refusedAddress(
            tool.url,
            `${ctx.pointer}/config/tools/${index}/url`,
            `the tool “${tool.name}” would fail every time`,
          ),
        )),
    ...unsavedSecrets(config.headers, ctx.pointer),
    ...duplicateNames(
      (config.saveVariables ?? []).map((variable) => variable.name),
      `${ctx.pointer}/config/saveVariables`,
      'variable',
    ),
  ],
});

function toolProblems(tools: AiTool[], pointer: string): Problem[] {
  const problems: Problem[] = [];
  for (const [index, tool] of tools.entries()) {
    if ((AI_REPLY_BUILTIN_TOOLS as readonly string[]).includes(tool.name)) {
      problems.push(
        error(
          `${pointer}/config/tools/${index}/name`,
          `“${tool.name}” is the name of a tool every AI reply has already; name this one differently.`,
        ),
      );
    }
    problems.push(
      ...duplicateNames(
        (tool.parameters ?? []).map((parameter) => parameter.name),
        `${pointer}/config/tools/${index}/parameters`,
        'parameter',
      ),
    );
  }
  return [
    ...problems,
    ...duplicateNames(
      tools.map((tool) => tool.name),
      `${pointer}/config/tools`,
      'tool',
    ),
  ];
}
