import type { FlowNode, NodeType } from '@parley/schemas';
import type { Conversation } from '../state.js';
import type { Turn } from '../turn.js';
import { aiClassifyExecutor } from './ai-classify.js';
import { aiExtractExecutor } from './ai-extract.js';
import { aiReplyExecutor } from './ai-reply.js';
import { conditionExecutor } from './condition.js';
import { delayExecutor } from './delay.js';
import { endExecutor } from './end.js';
import { handoffExecutor } from './handoff.js';
import { httpRequestExecutor } from './http-request.js';
import { jumpExecutor } from './jump.js';
import { messageExecutor } from './message.js';
import type { NodeExecutor, Resume, Transition, WaitBase, WaitOf } from './node-executor.js';
import { questionExecutor } from './question.js';
import { setVariableExecutor } from './set-variable.js';

/** One executor per node type: adding a type to shared-schemas without one here does not compile. */
export const executors = {
  message: messageExecutor,
  question: questionExecutor,
  condition: conditionExecutor,
  set_variable: setVariableExecutor,
  http_request: httpRequestExecutor,
  delay: delayExecutor,
  jump: jumpExecutor,
  handoff: handoffExecutor,
  end: endExecutor,
  ai_reply: aiReplyExecutor,
  ai_extract: aiExtractExecutor,
  ai_classify: aiClassifyExecutor,
} satisfies { [K in NodeType]: NodeExecutor<K, WaitBase> };

/** Where a conversation is stopped, waiting for something outside the engine. */
export type Wait = { [K in NodeType]: WaitOf<(typeof executors)[K]> }[NodeType];

function executorOf(node: FlowNode): NodeExecutor<NodeType, Wait> {
  return executors[node.type] as NodeExecutor<NodeType, Wait>;
}

/** Runs a node of any type. */
export function runNode(node: FlowNode, conversation: Conversation, turn: Turn): Transition<Wait> {
  return executorOf(node).run(node, conversation, turn);
}

/** How a conversation waiting at `node` resumes; undefined for a type that never waits. */
export function resumeOf(node: FlowNode): Resume<NodeType, Wait> | undefined {
  return executorOf(node).resume;
}
