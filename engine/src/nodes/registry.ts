import type { NodeType } from '@parley/schemas';
import { runCondition } from './condition.js';
import { runDelay } from './delay.js';
import { runEnd, runHandoff } from './finish.js';
import { runHttpRequest } from './http-request.js';
import { runJump } from './jump.js';
import { runMessage } from './message.js';
import type { NodeExecutor } from './node-executor.js';
import { runQuestion } from './question.js';
import { runSetVariable } from './set-variable.js';

/** One executor per node type: adding a type to shared-schemas without one here does not compile. */
export const executors: { [K in NodeType]: NodeExecutor<K> } = {
  message: runMessage,
  question: runQuestion,
  condition: runCondition,
  set_variable: runSetVariable,
  http_request: runHttpRequest,
  delay: runDelay,
  jump: runJump,
  handoff: runHandoff,
  end: runEnd,
};
