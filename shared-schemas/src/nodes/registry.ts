import type { Static } from '@sinclair/typebox';
import { aiClassifyNode } from './ai-classify/index.js';
import { aiExtractNode } from './ai-extract/index.js';
import { aiReplyNode } from './ai-reply/index.js';
import { conditionNode } from './condition/index.js';
import { delayNode } from './delay/index.js';
import { endNode } from './end/index.js';
import { handoffNode } from './handoff/index.js';
import { httpRequestNode } from './http-request/index.js';
import { jumpNode } from './jump/index.js';
import { messageNode } from './message/index.js';
import type { NodeDefinition } from './node-definition.js';
import { questionNode } from './question/index.js';
import { setVariableNode } from './set-variable/index.js';

/** Every node type of Flow Document v1, keyed by its `type`. */
export const nodeDefinitions = {
  message: messageNode,
  question: questionNode,
  condition: conditionNode,
  set_variable: setVariableNode,
  http_request: httpRequestNode,
  delay: delayNode,
  jump: jumpNode,
  handoff: handoffNode,
  end: endNode,
  ai_reply: aiReplyNode,
  ai_extract: aiExtractNode,
  ai_classify: aiClassifyNode,
} as const;

export type NodeType = keyof typeof nodeDefinitions;
export const NODE_TYPES = Object.keys(nodeDefinitions) as NodeType[];

/** The settings fields of a node type that its editor module draws with its own widget. */
export type OwnWidgetFields<T extends NodeType> = {
  [F in keyof (typeof nodeDefinitions)[T]['settingsUi']]: (typeof nodeDefinitions)[T]['settingsUi'][F] extends {
    'ui:widget': 'own';
  }
    ? F
    : never;
}[keyof (typeof nodeDefinitions)[T]['settingsUi']] &
  string;

export type NodeConfigs = { [K in NodeType]: Static<(typeof nodeDefinitions)[K]['configSchema']> };

export function isNodeType(type: unknown): type is NodeType {
  return typeof type === 'string' && Object.hasOwn(nodeDefinitions, type);
}

/** The definition of a node type, typed loosely for code that handles any node. */
export function nodeDefinition(type: NodeType): NodeDefinition {
  return nodeDefinitions[type] as unknown as NodeDefinition;
}
