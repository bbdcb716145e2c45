import { type FlowNode, nodeName, renderTemplate } from '@parley/schemas';
import type { AiCallEffect, AiOutcome, AiToolCallRecord } from '../events.js';
import type { Resumption, WaitBase } from '../nodes/node-executor.js';
import { addNote, wentOnBy } from '../notes.js';
import type { Conversation } from '../state.js';
import { scopeOf, type Turn } from '../turn.js';

/** How long one model call (its tool calls and provider retries included) may take. */
export const AI_CALL_TIMEOUT_MS = 60_000;

/** Queues a model call as an effect and returns its request id, which its result comes back with. */
export function requestModel(
  turn: Turn,
  conversation: Conversation,
  node: FlowNode,
  call: AiCallEffect['call'],
): string {
  conversation.effectSeq += 1;
  const requestId = `${conversation.id}:${conversation.effectSeq}`;
  turn.effects.push({ type: 'ai_call', conversationId: conversation.id, requestId, nodeId: node.id, call });
  return requestId;
}

/** Today as the model should read "next Monday": the date and weekday where the flow's contacts are. */
export function todayLine(turn: Turn): string {
  const timeZone = turn.flow.settings.timeZone ?? 'UTC';
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long' });
  const now = new Date(turn.now);
  return `Today is ${weekday.format(now)}, ${date.format(now)} (time zone ${timeZone}).`;
}

/** The text an AI block reads: its own template, else this turn's message, else the contact's last. */
export function sourceText(turn: Turn, conversation: Conversation, template: string | undefined): string {
  const rendered = template === undefined ? '' : renderTemplate(template, scopeOf(turn, conversation));
  if (rendered.trim() !== '') return rendered;
  return turn.contactText ?? conversation.lastText ?? '';
}

/** A block's extra instructions as the last lines of its system prompt (none when empty). */
export function instructionLines(
  turn: Turn,
  conversation: Conversation,
  instructions: string | undefined,
): string[] {
  if (instructions === undefined || instructions.trim() === '') return [];
  return ['', renderTemplate(instructions, scopeOf(turn, conversation))];
}

/** A result for a call the block no longer waits for (an earlier one's), to ignore; else null. */
export function otherCall<W extends WaitBase>(
  wait: { requestId: string | null },
  requestId: string,
): Resumption<W> | null {
  return wait.requestId === requestId
    ? null
    : { kind: 'ignore', reason: `ai result ${requestId} arrived for no waiting call; ignored` };
}

function shortJson(value: unknown, limit = 300): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function toolCallText(node: FlowNode, call: AiToolCallRecord): string {
  const called = `${nodeName(node)} called “${call.name}” with ${shortJson(call.arguments)}`;
  if (call.refused !== undefined) return `${called}, which was refused: ${call.refused}`;
  if (call.status === undefined) return `${called}.`;
  if (call.status === 0) {
    const error = (call.result as { error?: unknown } | undefined)?.error;
    return typeof error === 'string'
      ? `${called}; the call did not go through: ${error}`
      : `${called}; the service did not answer.`;
  }
  return `${called}; the service answered ${call.status}: ${shortJson(call.result, 200)}.`;
}

/** Notes what the call did that the admin should see: a restart, the tools called and their answers. */
export function noteCall(turn: Turn, node: FlowNode, result: AiOutcome): void {
  if (result.retried === true) {
    addNote(
      turn,
      'ai_retried',
      node,
      `The call to the model for ${nodeName(node)} was cut off when Parley restarted, so it was made again.`,
    );
  }
  for (const call of result.toolCalls) addNote(turn, 'ai_tool_call', node, toolCallText(node, call));
}

/** Notes why a block left by its failure outcome. */
export function noteFailure(
  turn: Turn,
  node: FlowNode,
  why: string,
  handle: string,
  connected: boolean,
): void {
  const sentence = /[.!?]$/.test(why.trim()) ? why.trim() : `${why.trim()}.`;
  addNote(
    turn,
    'ai_failed',
    node,
    `${nodeName(node)} did not work. ${sentence} ${wentOnBy(node, handle, connected)}`,
  );
}

/** Tokens a call used, in and out. */
export function tokensOf(result: AiOutcome): number {
  return result.usage.inputTokens + result.usage.outputTokens;
}
