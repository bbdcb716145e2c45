import { readFile } from 'node:fs/promises';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MODEL_ERROR_CODES, ModelError } from './model-error.js';
import type { ModelGateway, ModelMessage, ModelRequest, ModelResult } from './model-request.js';

const ScriptReply = Type.Object(
  {
    text: Type.Optional(Type.String()),
    toolCalls: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String({ minLength: 1 }), arguments: Type.Record(Type.String(), Type.Unknown()) },
          { additionalProperties: false },
        ),
      ),
    ),
    output: Type.Optional(Type.Unknown()),
    usage: Type.Optional(
      Type.Object(
        { inputTokens: Type.Integer({ minimum: 0 }), outputTokens: Type.Integer({ minimum: 0 }) },
        { additionalProperties: false },
      ),
    ),
    /** The call fails the way a provider's would: one of the ModelError codes. */
    error: Type.Optional(Type.Union(MODEL_ERROR_CODES.map((code) => Type.Literal(code)))),
  },
  { additionalProperties: false },
);

const ScriptEntry = Type.Object(
  {
    when: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(Type.String()),
          /** Words the contact's last message contains (any case). */
          lastMessageContains: Type.Optional(Type.String()),
          systemContains: Type.Optional(Type.String()),
          /** A tool the request offers. */
          tool: Type.Optional(Type.String()),
          /** Whether the request asks for a structured answer. */
          structured: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    reply: ScriptReply,
    /** How many requests this entry answers (default: every one it matches). */
    times: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/**
 * A script of model replies, for `parley simulate` and `parley test`: each request gets the reply
 * of the first entry whose `when` matches it (an entry without `when` matches all).
 */
export const ModelScript = Type.Object(
  { replies: Type.Array(ScriptEntry), fallback: Type.Optional(ScriptReply) },
  { additionalProperties: false },
);
export type ModelScript = Static<typeof ModelScript>;
type ScriptEntry = Static<typeof ScriptEntry>;

/**
 * A request the script has no reply for: a gap in the test, not a provider failure, so a test
 * runner can stop and say so instead of taking the block's failure path.
 */
export class UnscriptedRequest extends ModelError {
  constructor(readonly lastMessage: string) {
    super(
      'provider_error',
      `The scripted model has no reply for the message “${lastMessage}”. Add an entry that matches it to the model script, or a fallback.`,
    );
  }
}

/** A model that answers from a script, with no network: deterministic conversations in tests. */
export class ScriptedModel implements ModelGateway {
  private readonly used = new Map<ScriptEntry, number>();
  /** Every request it answered or refused, in order, for a test to look at. */
  readonly requests: ModelRequest[] = [];

  constructor(private readonly script: ModelScript) {}

  /** Checks a parsed script and says where it is wrong. */
  static fromJson(value: unknown, source = 'the model script'): ScriptedModel {
    if (Value.Check(ModelScript, value)) return new ScriptedModel(value);
    const problems = [...Value.Errors(ModelScript, value)]
      .slice(0, 5)
      .map((error) => `${error.path || '/'}: ${error.message}`);
    throw new Error(`${source} is not a valid model script: ${problems.join('; ')}`);
  }

  static async fromFile(path: string): Promise<ScriptedModel> {
    const text = await readFile(path, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path} is not JSON: ${(error as Error).message}`);
    }
    return ScriptedModel.fromJson(value, path);
  }

  async generate(request: ModelRequest): Promise<ModelResult> {
    this.requests.push(request);
    const entry = this.script.replies.find(
      (candidate) =>
        matches(candidate, request) && (this.used.get(candidate) ?? 0) < (candidate.times ?? Infinity),
    );
    if (entry !== undefined) this.used.set(entry, (this.used.get(entry) ?? 0) + 1);
    const reply = entry?.reply ?? this.script.fallback;
    if (reply === undefined) throw new UnscriptedRequest(lastUserText(request.messages));
    if (reply.error !== undefined)
      throw new ModelError(reply.error, `The scripted model failed as asked (${reply.error}).`);
    const text = reply.text ?? '';
    const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
      id: `call_${this.requests.length}_${index + 1}`,
      ...call,
    }));
    return {
      text,
      toolCalls,
      ...(request.output === undefined ? {} : { output: reply.output ?? parsedText(text) }),
      usage: reply.usage ?? {
        inputTokens: roughTokens(JSON.stringify([request.system ?? '', request.messages])),
        outputTokens: roughTokens(text + JSON.stringify(toolCalls) + JSON.stringify(reply.output ?? '')),
      },
      finishReason: toolCalls.length > 0 ? 'tool-calls' : 'stop',
      attempts: 1,
    };
  }
}

function matches(entry: ScriptEntry, request: ModelRequest): boolean {
  const when = entry.when;
  if (when === undefined) return true;
  if (when.model !== undefined && when.model !== request.model) return false;
  if (
    when.lastMessageContains !== undefined &&
    !lastUserText(request.messages).toLowerCase().includes(when.lastMessageContains.toLowerCase())
  )
    return false;
  if (
    when.systemContains !== undefined &&
    !(request.system ?? '').toLowerCase().includes(when.systemContains.toLowerCase())
  )
    return false;
  if (when.tool !== undefined && !(request.tools ?? []).some((tool) => tool.name === when.tool)) return false;
  if (when.structured !== undefined && when.structured !== (request.output !== undefined)) return false;
  return true;
}

function lastUserText(messages: ModelMessage[]): string {
  const last = messages.findLast((message) => message.role === 'user');
  if (last === undefined) return '';
  return typeof last.content === 'string'
    ? last.content
    : last.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
}

function parsedText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelError(
      'bad_answer',
      'The scripted model was asked for a structured answer, but its reply has no `output` and its text is not JSON. Add `output` to the reply in the script.',
    );
  }
}

/** About four characters a token: enough for usage counts in tests. */
function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
