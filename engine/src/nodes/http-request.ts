import { renderTemplate } from '@parley/schemas';
import { addNote, httpFailureText } from '../notes.js';
import { scopeOf, targetOf } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** A body template that is JSON gets its values JSON-escaped, so answers cannot break the document. */
function looksLikeJson(template: string): boolean {
  return /^\s*[[{]/.test(template);
}

export interface HttpWait {
  kind: 'http';
  nodeId: string;
  requestId: string;
}

/** Renders the request and hands it to the caller as an effect; the result comes back as an event. */
const run: NodeExecutor<'http_request', HttpWait>['run'] = (node, conversation, turn) => {
  const scope = scopeOf(turn, conversation);
  const { url, method, headers, body, timeoutMs } = node.config;
  conversation.effectSeq += 1;
  const requestId = `${conversation.id}:${conversation.effectSeq}`;
  turn.effects.push({
    type: 'http_request',
    conversationId: conversation.id,
    requestId,
    nodeId: node.id,
    request: {
      url: renderTemplate(url, scope, 'url'),
      method: method ?? 'GET',
      // compileFlow refuses saved-secret markers, so every value here is a string.
      headers: Object.fromEntries(
        Object.entries(headers ?? {}).flatMap(([name, value]) =>
          typeof value === 'string' ? [[name, renderTemplate(value, scope)]] : [],
        ),
      ),
      ...(body === undefined
        ? {}
        : { body: renderTemplate(body, scope, looksLikeJson(body) ? 'json' : 'none') }),
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
  });
  return { kind: 'wait', wait: { kind: 'http', nodeId: node.id, requestId } };
};

export const httpRequestExecutor: NodeExecutor<'http_request', HttpWait> = {
  run,
  resume: {
    // Waiting on its own request, the conversation is not idle and must not expire.
    idle: false,
    onHttpResult: (node, conversation, wait, { requestId, result }, turn) => {
      if (wait.requestId !== requestId) {
        return { kind: 'ignore', reason: `http result ${requestId} arrived for no waiting request; ignored` };
      }
      if (node.config.saveAs !== undefined) conversation.variables[node.config.saveAs] = result;
      const ok = result.status >= 200 && result.status < 300;
      const target = targetOf(turn.flow, node.id, ok ? 'success' : 'failure');
      if (!ok) addNote(turn, 'http_failed', node, httpFailureText(node, result, target !== null));
      // The request is part of the turn that reached it: the loop guard keeps counting.
      return { kind: 'continue', nodeId: target, sameTurn: true };
    },
  },
};
