import { AI_REPLY_DEFAULTS, type AiReplyConfig, renderTemplate } from '@parley/schemas';
import {
  AI_CALL_TIMEOUT_MS,
  noteCall,
  noteFailure,
  otherCall,
  requestModel,
  todayLine,
  tokensOf,
} from '../ai/ai-call.js';
import type { AiToolCallRecord, AiToolSpec, AiTurn } from '../events.js';
import type { Conversation } from '../state.js';
import { scopeOf, send, type Turn, targetOf } from '../turn.js';
import type { NodeExecutor, NodeOf, Resumption } from './node-executor.js';

export interface AiReplyWait {
  kind: 'ai_reply';
  nodeId: string;
  /** The model call under way; null while the contact has the word. */
  requestId: string | null;
  /** The block's memory: the contact's messages and the model's replies. */
  history: AiTurn[];
  tokens: number;
  /** When the block's time budget runs out. */
  until: number;
  /** Messages that arrived while the model was answering: they go with the next call. */
  queued: string[];
  /** Where the conversation's transcript the first call read ended (memory `conversation`). */
  transcriptUntil?: number;
}

type Node = NodeOf<'ai_reply'>;

/** The first line the model sees when the contact has not written to it yet. */
const OPENING = '(The contact has not written to you yet. Start the conversation.)';
const REPLY_MAX_OUTPUT_TOKENS = 1000;

function systemPrompt(node: Node, conversation: Conversation, turn: Turn): string {
  const config = node.config;
  const saved = config.saveVariables ?? [];
  return [
    renderTemplate(config.prompt, scopeOf(turn, conversation)),
    '',
    'You are writing to a contact on WhatsApp: short messages in plain text, no markdown.',
    todayLine(turn),
    `When this is true, call the tool “finish”: ${config.goal}`,
    'If the contact asks for a person, or you cannot help them, call the tool “handoff”.',
    ...(saved.length === 0
      ? []
      : [
          'As soon as you learn any of these values, note them with the tool “save_variables”:',
          ...saved.map((variable) => `- ${variable.name}: ${variable.description}`),
        ]),
  ].join('\n');
}

function toolSpecs(config: AiReplyConfig, conversation: Conversation, turn: Turn): AiToolSpec[] {
  return (config.tools ?? []).map((tool) => {
    const parameters = tool.parameters ?? [];
    return {
      name: tool.name,
      description: tool.description,
      method: tool.method ?? 'POST',
      url: renderTemplate(tool.url, scopeOf(turn, conversation), 'url'),
      parameters: {
        type: 'object',
        properties: Object.fromEntries(
          parameters.map((parameter) => [
            parameter.name,
            { type: parameter.type, description: parameter.description },
          ]),
        ),
        required: parameters.filter((parameter) => parameter.required === true).map((p) => p.name),
        additionalProperties: false,
      },
    };
  });
}

/** Asks the model for its next reply with the block's memory so far. */
function callModel(node: Node, conversation: Conversation, turn: Turn, wait: AiReplyWait): AiReplyWait {
  const { config } = node;
  const scope = scopeOf(turn, conversation);
  const headers = Object.fromEntries(
    Object.entries(config.headers ?? {}).flatMap(([name, value]) =>
      typeof value === 'string' ? [[name, renderTemplate(value, scope)]] : [],
    ),
  );
  const tools = toolSpecs(config, conversation, turn);
  const requestId = requestModel(turn, conversation, node, {
    purpose: 'reply',
    credentialId: config.credentialId,
    model: config.model,
    system: systemPrompt(node, conversation, turn),
    messages: wait.history,
    ...(config.memory === 'conversation' ? { transcript: true } : {}),
    ...(wait.transcriptUntil === undefined ? {} : { transcriptUntil: wait.transcriptUntil }),
    ...(tools.length === 0 ? {} : { tools }),
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(config.saveVariables === undefined || config.saveVariables.length === 0
      ? {}
      : { saveVariables: config.saveVariables }),
    maxOutputTokens: REPLY_MAX_OUTPUT_TOKENS,
    timeoutMs: AI_CALL_TIMEOUT_MS,
  });
  return { ...wait, requestId };
}

function budgets(config: AiReplyConfig) {
  return {
    maxTurns: config.maxTurns ?? AI_REPLY_DEFAULTS.maxTurns,
    maxMinutes: config.maxMinutes ?? AI_REPLY_DEFAULTS.maxMinutes,
    maxTokens: config.maxTokens ?? AI_REPLY_DEFAULTS.maxTokens,
  };
}

/** Leaves by Failure, telling the admin why. */
function fail(node: Node, turn: Turn, why: string): Resumption<AiReplyWait> {
  const target = targetOf(turn.flow, node.id, 'failure');
  noteFailure(turn, node, why, 'failure', target !== null);
  return { kind: 'continue', nodeId: target, sameTurn: true };
}

/** The contact's messages go into memory and to the model, unless a budget is spent. */
function answerContact(
  node: Node,
  conversation: Conversation,
  turn: Turn,
  wait: AiReplyWait,
  texts: string[],
): Resumption<AiReplyWait> {
  const { maxTurns } = budgets(node.config);
  // The model's replies so far are its lines in the memory (the turn budget).
  if (wait.history.filter((turn) => turn.role === 'assistant').length >= maxTurns) {
    return fail(node, turn, `It answered ${maxTurns} messages without reaching its goal (its reply budget)`);
  }
  const history = [...wait.history, ...texts.map((text) => ({ role: 'user' as const, text }))];
  return { kind: 'wait', wait: callModel(node, conversation, turn, { ...wait, history, queued: [] }) };
}

/** How much of a tool's answer the block's memory keeps: the state stays small across many turns. */
const REMEMBERED_RESULT_CHARS = 1000;

function remembered(call: AiToolCallRecord): AiToolCallRecord {
  const text = call.result === undefined ? '' : (JSON.stringify(call.result) ?? '');
  if (text.length <= REMEMBERED_RESULT_CHARS) return call;
  return { ...call, result: `${text.slice(0, REMEMBERED_RESULT_CHARS)}…` };
}

function replyText(reply: { text?: string; media?: { name?: string } }): string {
  if (reply.text !== undefined && reply.text.trim() !== '') return reply.text;
  if (reply.media !== undefined)
    return `(The contact sent a file${reply.media.name === undefined ? '' : `: ${reply.media.name}`}.)`;
  return '(The contact sent something that is not text.)';
}

export const aiReplyExecutor: NodeExecutor<'ai_reply', AiReplyWait> = {
  run: (node, conversation, turn) => {
    const opening = turn.contactText?.trim() ? turn.contactText : OPENING;
    const wait: AiReplyWait = {
      kind: 'ai_reply',
      nodeId: node.id,
      requestId: null,
      history: [{ role: 'user', text: opening }],
      tokens: 0,
      until: turn.now + budgets(node.config).maxMinutes * 60_000,
      queued: [],
    };
    return { kind: 'wait', wait: callModel(node, conversation, turn, wait) };
  },
  resume: {
    // The contact's silence counts while the model waits for them: reminders and expiry apply.
    idle: true,
    timer: {
      at: (wait) => wait.until,
      fire: (node, _conversation, _wait, turn) =>
        fail(
          node,
          turn,
          `It talked for ${budgets(node.config).maxMinutes} minutes without reaching its goal (its time budget)`,
        ),
    },
    onReply: (node, conversation, wait, reply, turn) => {
      const text = replyText(reply);
      if (wait.requestId !== null) return { kind: 'wait', wait: { ...wait, queued: [...wait.queued, text] } };
      return answerContact(node, conversation, turn, wait, [text]);
    },
    onAiResult: (node, conversation, wait, { requestId, result }, turn) => {
      const stale = otherCall<typeof wait>(wait, requestId);
      if (stale !== null) return stale;
      noteCall(turn, node, result);
      const tokens = wait.tokens + tokensOf(result);
      if (!result.ok) return fail(node, turn, result.error);
      for (const [name, value] of Object.entries(result.saved ?? {})) {
        if (!(node.config.saveVariables ?? []).some((variable) => variable.name === name)) continue;
        conversation.variables[name] = value;
        turn.effects.push({
          type: 'answer_saved',
          conversationId: conversation.id,
          nodeId: node.id,
          variable: name,
          value,
        });
      }
      const text = result.text.trim();
      if (text !== '') send(turn, conversation, 'message', text);
      const said: AiTurn = {
        role: 'assistant',
        text,
        ...(result.toolCalls.length === 0 ? {} : { toolCalls: result.toolCalls.map(remembered) }),
      };
      if (result.finish !== undefined) {
        const handle = result.finish === 'done' ? 'done' : 'handoff';
        return { kind: 'continue', nodeId: targetOf(turn.flow, node.id, handle), sameTurn: true };
      }
      if (text === '') return fail(node, turn, 'The model answered with nothing to say');
      const { maxTokens } = budgets(node.config);
      if (tokens >= maxTokens) {
        return fail(
          node,
          turn,
          `It used ${tokens} tokens without reaching its goal (its budget is ${maxTokens})`,
        );
      }
      const next: AiReplyWait = {
        ...wait,
        requestId: null,
        history: [...wait.history, said],
        tokens,
        ...(wait.transcriptUntil === undefined && result.transcriptUntil !== undefined
          ? { transcriptUntil: result.transcriptUntil }
          : {}),
      };
      if (wait.queued.length > 0) return answerContact(node, conversation, turn, next, wait.queued);
      return { kind: 'wait', wait: next };
    },
  },
};
