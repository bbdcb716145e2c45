import type { NodeType } from '@parley/schemas';
import { aiClassifyUi } from './ai-classify';
import { aiExtractUi } from './ai-extract';
import { aiReplyUi } from './ai-reply';
import { conditionUi } from './condition';
import { delayUi } from './delay';
import { endUi } from './end';
import { handoffUi } from './handoff';
import { httpRequestUi } from './http-request';
import { jumpUi } from './jump';
import { messageUi } from './message';
import type { AnyNodeUi, NodeUi } from './node-ui';
import { questionUi } from './question';
import { setVariableUi } from './set-variable';

/** Every node type's look, keyed like `nodeDefinitions`: a type without one does not compile. */
export const nodeUis: { [K in NodeType]: NodeUi<K> } = {
  message: messageUi,
  question: questionUi,
  condition: conditionUi,
  set_variable: setVariableUi,
  http_request: httpRequestUi,
  ai_reply: aiReplyUi,
  ai_extract: aiExtractUi,
  ai_classify: aiClassifyUi,
  delay: delayUi,
  jump: jumpUi,
  handoff: handoffUi,
  end: endUi,
};

export function nodeUi(type: NodeType): AnyNodeUi {
  return nodeUis[type] as unknown as AnyNodeUi;
}
