import type { TurnNote } from '@parley/schemas';
import {
  type FlowNode,
  nodeDefinition,
  nodeName,
  resolveValue,
  templatePaths,
  type ValueScope,
  valueToText,
} from '@parley/schemas';
import type { HttpOutcome } from './events.js';
import type { Turn } from './turn.js';

export type { TurnNote };

/** Records what the admin should know about a node, placed after the messages sent so far. */
export function addNote(turn: Turn, kind: TurnNote['kind'], node: FlowNode, text: string): void {
  turn.notes.push({ kind, nodeId: node.id, text, after: turn.outbound.length });
}

/** The label the editor shows on one of a node's outcomes ("Failure", "Invalid"). */
function outcomeLabel(node: FlowNode, handle: string): string {
  const handles = nodeDefinition(node.type).handles(node.config as never);
  return `“${handles.find((spec) => spec.id === handle)?.label ?? handle}”`;
}

/** Where the conversation went by an outcome: on to the connected block, or nowhere. */
export function wentOnBy(node: FlowNode, handle: string, connected: boolean): string {
  return connected
    ? `The flow went on by ${outcomeLabel(node, handle)}.`
    : `${outcomeLabel(node, handle)} is not connected, so the conversation ended here.`;
}

/** What an answer status means, in the words of someone who does not build servers. */
function statusMeaning(status: number): string {
  if (status === 400) return 'the service did not accept the request as it was sent';
  if (status === 401 || status === 403)
    return 'the service refused access: check the key or password in the headers';
  if (status === 404) return 'nothing was found at that address: check the URL';
  if (status === 408 || status === 504) return 'the service took too long to answer';
  if (status === 422) return 'the service did not accept the data that was sent';
  if (status === 429) return 'too many requests were sent to the service in a short time';
  if (status >= 500) return 'the service had a problem of its own';
  if (status >= 400) return 'the service refused the request';
  if (status >= 300) return 'the service pointed elsewhere instead of answering';
  return 'the service did not answer with success';
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Why a request took Failure: the runtime's own words for a failed call, or what the status means. */
export function httpFailureText(node: FlowNode, result: HttpOutcome, connected: boolean): string {
  const why =
    'error' in result
      ? sentence(result.error)
      : `The service answered with status ${result.status}: ${statusMeaning(result.status)}.`;
  return `${nodeName(node)} did not work. ${why} ${wentOnBy(node, 'failure', connected)}`;
}

/** The names a template reads that hold nothing, so the text shows a gap where they go. */
export function emptyNames(template: string, scope: ValueScope): string[] {
  const empty = templatePaths(template).filter((path) => valueToText(resolveValue(scope, path)) === '');
  return [...new Set(empty)];
}

export function emptyVariableText(node: FlowNode, names: string[]): string {
  const listed = names.map((name) => `“${name}”`).join(', ');
  return names.length === 1
    ? `${nodeName(node)} shows ${listed}, which has no value yet, so that part of the message is blank.`
    : `${nodeName(node)} shows ${listed}, which have no value yet, so those parts of the message are blank.`;
}
