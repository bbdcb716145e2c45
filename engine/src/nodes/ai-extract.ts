import { extractionSchema, nodeName } from '@parley/schemas';
import {
  AI_CALL_TIMEOUT_MS,
  instructionLines,
  noteCall,
  noteFailure,
  otherCall,
  requestModel,
  sourceText,
  todayLine,
} from '../ai/ai-call.js';
import { addNote } from '../notes.js';
import type { Conversation } from '../state.js';
import { type Turn, targetOf } from '../turn.js';
import type { NodeExecutor, NodeOf, Resumption } from './node-executor.js';

export interface AiExtractWait {
  kind: 'ai_extract';
  nodeId: string;
  requestId: string;
}

type Node = NodeOf<'ai_extract'>;

const EXTRACT_MAX_OUTPUT_TOKENS = 1000;

/** A photo or file the contact sent, as a media answer stores it. */
function mediaOf(value: unknown): { url: string; mimeType: string } | null {
  if (value === null || typeof value !== 'object') return null;
  const { url, mimeType } = value as { url?: unknown; mimeType?: unknown };
  return typeof url === 'string' && typeof mimeType === 'string' ? { url, mimeType } : null;
}

function systemPrompt(node: Node, conversation: Conversation, turn: Turn): string {
  const { fields, instructions } = node.config;
  return [
    'You read what a contact wrote (or sent as a photo) and fill in the fields below.',
    'Use null for a field the contact did not give. Never guess or invent a value.',
    `${todayLine(turn)} Write dates as YYYY-MM-DD, working out words like “next Monday” from today.`,
    'Fields:',
    ...fields.map(
      (field) =>
        `- ${field.name} (${field.type === 'choice' ? `one of: ${(field.options ?? []).join(', ')}` : field.type}): ${field.description}`,
    ),
    ...instructionLines(turn, conversation, instructions),
  ].join('\n');
}

/** Leaves by “Not found”, telling the admin why. */
function invalid(node: Node, turn: Turn, why: string): Resumption<AiExtractWait> {
  const target = targetOf(turn.flow, node.id, 'invalid');
  noteFailure(turn, node, why, 'invalid', target !== null);
  return { kind: 'continue', nodeId: target, sameTurn: true };
}

export const aiExtractExecutor: NodeExecutor<'ai_extract', AiExtractWait> = {
  run: (node, conversation, turn) => {
    const { config } = node;
    const text = sourceText(turn, conversation, config.source);
    const image = config.imageFrom === undefined ? null : mediaOf(conversation.variables[config.imageFrom]);
    const nothing =
      config.imageFrom !== undefined && image === null
        ? `“${config.imageFrom}” holds no photo or file to look at`
        : text.trim() === '' && image === null
          ? 'There was no text to read'
          : null;
    if (nothing !== null) {
      invalid(node, turn, nothing);
      return { kind: 'follow', handle: 'invalid' };
    }
    const requestId = requestModel(turn, conversation, node, {
      purpose: 'extract',
      credentialId: config.credentialId,
      model: config.model,
      system: systemPrompt(node, conversation, turn),
      messages: [{ role: 'user', text: text.trim() === '' ? '(The contact sent only the photo.)' : text }],
      output: { schema: extractionSchema(config.fields) },
      ...(image === null ? {} : { image }),
      maxOutputTokens: EXTRACT_MAX_OUTPUT_TOKENS,
      timeoutMs: AI_CALL_TIMEOUT_MS,
    });
    return { kind: 'wait', wait: { kind: 'ai_extract', nodeId: node.id, requestId } };
  },
  resume: {
    // Waiting on its own model call, the conversation is not idle and must not expire.
    idle: false,
    onAiResult: (node, conversation, wait, { requestId, result }, turn) => {
      const stale = otherCall<typeof wait>(wait, requestId);
      if (stale !== null) return stale;
      noteCall(turn, node, result);
      if (!result.ok) return invalid(node, turn, result.error);
      for (const [name, why] of Object.entries(result.refused ?? {})) {
        addNote(turn, 'ai_refused', node, `${nodeName(node)} did not store “${name}”: ${why}`);
      }
      const output = result.output ?? {};
      for (const field of node.config.fields) {
        const value = output[field.name];
        if (value === undefined || value === null) continue;
        conversation.variables[field.name] = value;
        turn.effects.push({
          type: 'answer_saved',
          conversationId: conversation.id,
          nodeId: node.id,
          variable: field.name,
          value,
        });
      }
      const missing = node.config.fields
        .filter((field) => field.required === true)
        .filter((field) => output[field.name] === undefined || output[field.name] === null)
        .map((field) => `“${field.name}”`);
      if (missing.length > 0) {
        return invalid(node, turn, `The text did not give ${missing.join(', ')}`);
      }
      return { kind: 'continue', nodeId: targetOf(turn.flow, node.id, 'next'), sameTurn: true };
    },
  },
};
