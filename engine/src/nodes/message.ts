import { renderTemplate } from '@parley/schemas';
import type { Conversation } from '../state.js';
import { scopeOf, send, type Turn } from '../turn.js';
import type { NodeExecutor, NodeOf } from './node-executor.js';

export const runMessage: NodeExecutor<'message'> = (
  node: NodeOf<'message'>,
  conversation: Conversation,
  turn: Turn,
) => {
  const scope = scopeOf(turn, conversation);
  const { text, media } = node.config;
  const caption = media?.caption === undefined ? {} : { caption: renderTemplate(media.caption, scope) };
  send(
    turn,
    conversation,
    'message',
    text === undefined ? '' : renderTemplate(text, scope),
    media === undefined ? {} : { media: { ...media, ...caption } },
  );
  return { kind: 'follow', handle: 'next' };
};
