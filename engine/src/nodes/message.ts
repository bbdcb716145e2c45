import { renderTemplate } from '@parley/schemas';
import { addNote, emptyNames, emptyVariableText } from '../notes.js';
import { scopeOf, send } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

export const messageExecutor: NodeExecutor<'message'> = {
  run: (node, conversation, turn) => {
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
    const empty = emptyNames(`${text ?? ''} ${media?.caption ?? ''}`, scope);
    if (empty.length > 0) addNote(turn, 'empty_variable', node, emptyVariableText(node, empty));
    return { kind: 'follow', handle: 'next' };
  },
};
