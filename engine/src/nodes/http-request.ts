import { renderTemplate } from '@parley/schemas';
import { scopeOf } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/** A body template that is JSON gets its values JSON-escaped, so answers cannot break the document. */
function looksLikeJson(template: string): boolean {
  return /^\s*[[{]/.test(template);
}

/** Renders the request and hands it to the caller as an effect; the result comes back as an event. */
export const runHttpRequest: NodeExecutor<'http_request'> = (node, conversation, turn) => {
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
