import {
  type MessagePart,
  ModelError,
  type ModelGateway,
  type ModelMessage,
  type ModelResult,
  type ProviderConfig,
  type ToolCall,
  type ToolResult,
  type ToolSpec,
} from '@parley/ai';
import type {
  AiCallEffect,
  AiOutcome,
  AiToolCallRecord,
  AiToolSpec,
  AiTurn,
  HttpOutcome,
} from '@parley/engine';
import { checkArguments, checkValues } from './check-values.js';

export type AiCall = AiCallEffect['call'];

export interface ToolRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface AiCallDeps {
  gateway: ModelGateway;
  provider: ProviderConfig;
  /** Makes a tool's web request, with the same address guard and signature as an HTTP request block. */
  runTool(request: ToolRequest): Promise<HttpOutcome>;
  /**
   * The conversation's earlier messages, for a reply whose memory is the whole conversation: up to
   * `until` (a position this function handed back before), or all so far; with where they end.
   */
  transcript?(until: number | undefined): Promise<{ turns: AiTurn[]; until: number }>;
}

/** Model calls one AI call may make: each tool round is one more. */
const MAX_ROUNDS = 5;
const TOOL_TIMEOUT_MS = 10_000;
/** How much of a tool's answer the model (and the transcript) gets. */
const TOOL_RESULT_CHARS = 4000;
const SAVED_VALUE_CHARS = 1000;

/**
 * Performs one `ai_call` effect: the model's rounds and the tools it calls, with every argument
 * and structured value checked before anything is called or stored. A provider's failure is an
 * outcome (the flow's failure path), not an exception.
 */
export async function performAiCall(call: AiCall, deps: AiCallDeps): Promise<AiOutcome> {
  const run: Run = {
    usage: { inputTokens: 0, outputTokens: 0 },
    toolCalls: [],
    deadline: Date.now() + call.timeoutMs,
  };
  try {
    return call.purpose === 'reply' ? await reply(call, deps, run) : await structured(call, deps, run);
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    return { ok: false, code: error.code, error: error.message, toolCalls: run.toolCalls, usage: run.usage };
  }
}

interface Run {
  usage: { inputTokens: number; outputTokens: number };
  transcriptUntil?: number;
  toolCalls: AiToolCallRecord[];
  deadline: number;
}

async function generate(
  call: AiCall,
  deps: AiCallDeps,
  run: Run,
  extra: {
    messages: ModelMessage[];
    tools?: ToolSpec[];
    output?: NonNullable<AiCall['output']> & { perValue: true };
  },
): Promise<ModelResult> {
  const result = await deps.gateway.generate({
    provider: deps.provider,
    model: call.model,
    system: call.system,
    maxOutputTokens: call.maxOutputTokens,
    timeoutMs: Math.max(run.deadline - Date.now(), 1000),
    ...extra,
  });
  run.usage.inputTokens += result.usage.inputTokens;
  run.usage.outputTokens += result.usage.outputTokens;
  return result;
}

/** Extract and classify: one structured answer, each value checked against its own schema. */
async function structured(call: AiCall, deps: AiCallDeps, run: Run): Promise<AiOutcome> {
  const schema = call.output?.schema ?? { type: 'object' };
  const text = call.messages.map((turn) => turn.text).join('\n');
  const content: string | MessagePart[] =
    call.image === undefined
      ? text
      : [
          { type: 'text', text },
          { type: 'image', image: new URL(call.image.url), mediaType: call.image.mimeType },
        ];
  const result = await generate(call, deps, run, {
    messages: [{ role: 'user', content }],
    output: { schema, perValue: true },
  });
  const { accepted, refused } = checkValues(schema, result.output);
  return {
    ok: true,
    text: result.text,
    toolCalls: run.toolCalls,
    output: accepted,
    ...(Object.keys(refused).length === 0 ? {} : { refused }),
    usage: run.usage,
  };
}

/** What the model had said and done before, as the provider reads it. */
function memory(turns: AiTurn[]): ModelMessage[] {
  return turns.flatMap((turn, index): ModelMessage[] => {
    if (turn.role === 'user') return [{ role: 'user', content: turn.text }];
    const calls = turn.toolCalls ?? [];
    if (calls.length === 0) return [{ role: 'assistant', content: turn.text }];
    const ids = calls.map((toolCall, n) => toolCall.id ?? `call_${index}_${n}`);
    return [
      {
        role: 'assistant',
        content: turn.text,
        toolCalls: calls.map((toolCall, n) => ({
          id: ids[n] as string,
          name: toolCall.name,
          arguments: toolCall.arguments,
        })),
      },
      {
        role: 'tool',
        results: calls.map((toolCall, n) => ({
          id: ids[n] as string,
          name: toolCall.name,
          output:
            toolCall.refused === undefined
              ? (toolCall.result ?? { ok: true })
              : { refused: toolCall.refused },
        })),
      },
    ];
  });
}

/**
 * The earlier conversation, without the message the block's own memory starts with: on the
 * block's first call all of it so far, on later calls up to where the first call's ended (the
 * block's memory holds what came after).
 */
async function earlier(call: AiCall, deps: AiCallDeps): Promise<{ turns: AiTurn[]; until?: number }> {
  if (call.transcript !== true || deps.transcript === undefined) return { turns: [] };
  const { turns, until } = await deps.transcript(call.transcriptUntil);
  const first = call.messages[0];
  const last = turns.at(-1);
  if (first !== undefined && last !== undefined && last.role === first.role && last.text === first.text) {
    return { turns: turns.slice(0, -1), until };
  }
  return { turns, until };
}

const BUILTIN_TOOLS: ToolSpec[] = [
  {
    name: 'finish',
    description:
      'Call this when the goal in your instructions is met, after your last message to the contact.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
  {
    name: 'handoff',
    description: 'Call this when the contact asks for a person, or you cannot help them.',
    parameters: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why a person is needed, in a few words' } },
      additionalProperties: false,
    },
  },
];

function saveTool(variables: NonNullable<AiCall['saveVariables']>): ToolSpec {
  return {
    name: 'save_variables',
    description: 'Notes values you learned from the contact. Give only the ones you know.',
    parameters: {
      type: 'object',
      properties: Object.fromEntries(
        variables.map((variable) => [variable.name, { type: 'string', description: variable.description }]),
      ),
      additionalProperties: false,
    },
  };
}

/** An AI reply: the model answers the contact, calling tools (one round each) until it says something. */
async function reply(call: AiCall, deps: AiCallDeps, run: Run): Promise<AiOutcome> {
  const declared = call.tools ?? [];
  const tools = [
    ...BUILTIN_TOOLS,
    ...(call.saveVariables === undefined || call.saveVariables.length === 0
      ? []
      : [saveTool(call.saveVariables)]),
    ...declared.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    })),
  ];
  const before = await earlier(call, deps);
  if (before.until !== undefined) run.transcriptUntil = before.until;
  const messages = [...memory(before.turns), ...memory(call.messages)];
  // A provider answers a conversation that ends with the contact (or a tool), not with itself.
  if (messages.at(-1)?.role === 'assistant') messages.push({ role: 'user', content: '(Go on.)' });
  const said: string[] = [];
  const saved: Record<string, string> = {};
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const result = await generate(call, deps, run, { messages, tools });
    if (result.text.trim() !== '') said.push(result.text.trim());
    if (result.toolCalls.length === 0) {
      return outcome(said, run, saved);
    }
    let finish: 'done' | 'handoff' | undefined;
    const results: ToolResult[] = [];
    for (const toolCall of result.toolCalls) {
      const answer = await carryOut(toolCall, call, declared, deps, run, saved);
      if (toolCall.invalid === undefined && (toolCall.name === 'finish' || toolCall.name === 'handoff')) {
        finish = toolCall.name === 'finish' ? 'done' : 'handoff';
      }
      results.push({ id: toolCall.id, name: toolCall.name, output: answer });
    }
    if (finish !== undefined) return outcome(said, run, saved, finish);
    messages.push(
      { role: 'assistant', content: result.text, toolCalls: result.toolCalls },
      { role: 'tool', results },
    );
  }
  throw new ModelError(
    'bad_answer',
    `The model kept calling tools (${MAX_ROUNDS} rounds) without answering the contact. Check that the tools answer what their descriptions promise.`,
  );
}

function outcome(
  said: string[],
  run: Run,
  saved: Record<string, string>,
  finish?: 'done' | 'handoff',
): AiOutcome {
  return {
    ok: true,
    text: said.join('\n\n'),
    toolCalls: run.toolCalls,
    ...(finish === undefined ? {} : { finish }),
    ...(Object.keys(saved).length === 0 ? {} : { saved }),
    usage: run.usage,
    ...(run.transcriptUntil === undefined ? {} : { transcriptUntil: run.transcriptUntil }),
  };
}

/** Carries out one tool call (or refuses it), records it, and returns what the model is told. */
async function carryOut(
  toolCall: ToolCall,
  call: AiCall,
  declared: AiToolSpec[],
  deps: AiCallDeps,
  run: Run,
  saved: Record<string, string>,
): Promise<unknown> {
  const record: AiToolCallRecord = { id: toolCall.id, name: toolCall.name, arguments: toolCall.arguments };
  run.toolCalls.push(record);
  const refuse = (why: string) => {
    record.refused = why;
    return { refused: why };
  };
  // Parley's own checks come first: they say in plain words what the provider library's do not.
  const unreadable = () => refuse(`the call could not be read: ${toolCall.invalid}`);
  if (toolCall.name === 'finish' || toolCall.name === 'handoff') return { ok: true };
  if (toolCall.name === 'save_variables') {
    if (toolCall.invalid !== undefined && Object.keys(toolCall.arguments).length === 0) return unreadable();
    const allowed = new Set((call.saveVariables ?? []).map((variable) => variable.name));
    const problems: string[] = [];
    for (const [name, value] of Object.entries(toolCall.arguments)) {
      if (!allowed.has(name)) problems.push(`“${name}” is not a variable this block saves`);
      else if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        problems.push(`the value for “${name}” is not text`);
      else if (String(value).length > SAVED_VALUE_CHARS) problems.push(`the value for “${name}” is too long`);
      else saved[name] = String(value);
    }
    return problems.length === 0 ? { saved: true } : refuse(problems.join('; '));
  }
  const tool = declared.find((candidate) => candidate.name === toolCall.name);
  if (tool === undefined) return refuse(`there is no tool called “${toolCall.name}”`);
  const problem = checkArguments(tool.parameters, toolCall.arguments);
  if (problem !== null) return refuse(problem);
  if (toolCall.invalid !== undefined) return unreadable();
  const response = await deps.runTool(toolRequest(tool, toolCall.arguments, call.headers ?? {}, run));
  record.status = response.status;
  const body = 'error' in response ? { error: response.error } : response.body;
  record.result = cut(body);
  return { status: response.status, body: record.result };
}

/** The tool's address is the admin's; the model's arguments go only in the query or the JSON body. */
function toolRequest(
  tool: AiToolSpec,
  args: Record<string, unknown>,
  headers: Record<string, string>,
  run: Run,
): ToolRequest {
  const timeoutMs = Math.max(Math.min(TOOL_TIMEOUT_MS, run.deadline - Date.now()), 1000);
  if (tool.method === 'GET') {
    const url = new URL(tool.url);
    for (const [name, value] of Object.entries(args)) url.searchParams.set(name, String(value));
    return { url: url.href, method: 'GET', headers, timeoutMs };
  }
  return {
    url: tool.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(args),
    timeoutMs,
  };
}

/** A tool's answer, cut to what the model and the transcript need. */
function cut(body: unknown): unknown {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  if (text.length <= TOOL_RESULT_CHARS) return body;
  return `${text.slice(0, TOOL_RESULT_CHARS)}… (cut: the answer was ${text.length} characters)`;
}
