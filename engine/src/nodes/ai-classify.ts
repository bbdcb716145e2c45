import { classificationSchema } from '@parley/schemas';
import {
  AI_CALL_TIMEOUT_MS,
  instructionLines,
  noteCall,
  noteFailure,
  otherCall,
  requestModel,
  sourceText,
} from '../ai/ai-call.js';
import type { Conversation } from '../state.js';
import { type Turn, targetOf } from '../turn.js';
import type { NodeExecutor, NodeOf } from './node-executor.js';

export interface AiClassifyWait {
  kind: 'ai_classify';
  nodeId: string;
  requestId: string;
}

type Node = NodeOf<'ai_classify'>;

const CLASSIFY_MAX_OUTPUT_TOKENS = 100;

function systemPrompt(node: Node, conversation: Conversation, turn: Turn): string {
  const { categories, instructions } = node.config;
  return [
    'You sort what a contact wrote into one of these categories, by what they want:',
    ...categories.map((category) => `- ${category.name}: ${category.description}`),
    'Answer with the category’s name exactly as written, or “none of these” when none fits.',
    ...instructionLines(turn, conversation, instructions),
  ].join('\n');
}

export const aiClassifyExecutor: NodeExecutor<'ai_classify', AiClassifyWait> = {
  run: (node, conversation, turn) => {
    const { config } = node;
    const text = sourceText(turn, conversation, config.source);
    if (text.trim() === '') {
      noteFailure(
        turn,
        node,
        'There was no text to read',
        'else',
        targetOf(turn.flow, node.id, 'else') !== null,
      );
      if (config.saveAs !== undefined) conversation.variables[config.saveAs] = '';
      return { kind: 'follow', handle: 'else' };
    }
    const requestId = requestModel(turn, conversation, node, {
      purpose: 'classify',
      credentialId: config.credentialId,
      model: config.model,
      system: systemPrompt(node, conversation, turn),
      messages: [{ role: 'user', text }],
      output: { schema: classificationSchema(config.categories) },
      maxOutputTokens: CLASSIFY_MAX_OUTPUT_TOKENS,
      timeoutMs: AI_CALL_TIMEOUT_MS,
    });
    return { kind: 'wait', wait: { kind: 'ai_classify', nodeId: node.id, requestId } };
  },
  resume: {
    // Waiting on its own model call, the conversation is not idle and must not expire.
    idle: false,
    onAiResult: (node, conversation, wait, { requestId, result }, turn) => {
      const stale = otherCall<typeof wait>(wait, requestId);
      if (stale !== null) return stale;
      noteCall(turn, node, result);
      const { categories, saveAs } = node.config;
      const answer = result.ok ? result.output?.category : undefined;
      const chosen =
        typeof answer === 'string'
          ? categories.find((category) => category.name.trim().toLowerCase() === answer.trim().toLowerCase())
          : undefined;
      if (saveAs !== undefined) conversation.variables[saveAs] = chosen?.name ?? '';
      if (!result.ok) {
        noteFailure(turn, node, result.error, 'else', targetOf(turn.flow, node.id, 'else') !== null);
      }
      const target = targetOf(turn.flow, node.id, chosen?.id ?? 'else');
      return { kind: 'continue', nodeId: target, sameTurn: true };
    },
  },
};
