import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the model providers: real HTTP on a random port, speaking OpenAI chat
 * completions (also what OpenAI-compatible servers speak), Anthropic messages and Google
 * generateContent, each with and without streaming (SSE), tool calls, structured (JSON) answers,
 * the providers' own error bodies and 429s with retry-after. A test scripts what it answers.
 */

export type StandinProtocol = 'openai' | 'anthropic' | 'google';

export interface StandinReply {
  text?: string;
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
  /** A structured answer: sent where the protocol puts one (JSON text, or Anthropic's json tool). */
  json?: unknown;
  usage?: { input: number; output: number };
  /** Waits this long before answering (to test timeouts). */
  delayMs?: number;
}

export interface StandinFailure {
  status: number;
  message?: string;
  headers?: Record<string, string>;
}

/** What the next request gets: a reply, or a failure in the provider's own shape. */
export type StandinStep = { reply: StandinReply } | { fail: StandinFailure };

export interface RecordedRequest {
  protocol: StandinProtocol;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  stream: boolean;
}

export interface AiStandin {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The API root to configure for a provider kind (its base URL); `${url}/files/photo.png` is an image. */
  baseUrl(protocol: StandinProtocol): string;
  /** The only API key it accepts. */
  apiKey: string;
  /** The models it has; any other is refused with the provider's 404. */
  models: string[];
  /** When false, `GET /models` is a 404, as on servers without a model list. */
  listsModels: boolean;
  /** Queues what the next requests get; with nothing queued, a request gets the text "OK". */
  script(...steps: StandinStep[]): void;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** What `GET /files/photo.png` serves: an image a contact's message could link to. */
export const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUg==', 'base64');

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-haiku-4-5', 'gemini-2.5-flash', 'llama3.2'];

export async function startAiStandin(): Promise<AiStandin> {
  const queue: StandinStep[] = [];
  const requests: RecordedRequest[] = [];
  const state = { models: [...DEFAULT_MODELS], listsModels: true };
  const apiKey = 'sk-standin-key';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { message: `stand-in failure: ${String(error)}` } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    if (url.pathname === '/files/photo.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PHOTO);
      return;
    }
    const protocol = url.pathname.split('/')[1] as StandinProtocol;
    if (protocol !== 'openai' && protocol !== 'anthropic' && protocol !== 'google') {
      res.statusCode = 404;
      res.end();
      return;
    }
    const raw = await readBody(req);
    const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    const stream =
      protocol === 'google' ? url.pathname.endsWith(':streamGenerateContent') : body.stream === true;
    requests.push({
      protocol,
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      headers: req.headers,
      body,
      stream,
    });

    if (!authorised(protocol, req)) return fail(res, protocol, authFailure(protocol));

    if (req.method === 'GET' && /\/models$/.test(url.pathname)) {
      if (!state.listsModels) return fail(res, protocol, { status: 404, message: 'Not found' });
      return json(res, 200, modelList(protocol, state.models));
    }

    const model =
      protocol === 'google' ? (/\/models\/([^:]+):/.exec(url.pathname)?.[1] ?? '') : String(body.model);
    if (!state.models.includes(model)) return fail(res, protocol, notFound(protocol, model));

    const step = queue.shift() ?? { reply: { text: 'OK' } };
    if ('fail' in step) return fail(res, protocol, step.fail);
    const reply = step.reply;
    if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const rendered = render(protocol, model, body, reply);
    if (!stream) return json(res, 200, rendered.whole);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const event of rendered.events) {
      res.write(
        `${event.event === undefined ? '' : `event: ${event.event}\n`}data: ${JSON.stringify(event.data)}\n\n`,
      );
    }
    if (protocol === 'openai') res.write('data: [DONE]\n\n');
    res.end();
  }

  function authorised(protocol: StandinProtocol, req: IncomingMessage): boolean {
    if (protocol === 'openai') return req.headers.authorization === `Bearer ${apiKey}`;
    if (protocol === 'anthropic') return req.headers['x-api-key'] === apiKey;
    return req.headers['x-goog-api-key'] === apiKey;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: (protocol) => `${url}/${protocol}/${protocol === 'google' ? 'v1beta' : 'v1'}`,
    apiKey,
    get models() {
      return state.models;
    },
    set models(models: string[]) {
      state.models = models;
    },
    get listsModels() {
      return state.listsModels;
    },
    set listsModels(value: boolean) {
      state.listsModels = value;
    },
    script: (...steps) => {
      queue.push(...steps);
    },
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function modelList(protocol: StandinProtocol, models: string[]): unknown {
  if (protocol === 'google')
    return {
      models: models.map((id) => ({ name: `models/${id}`, supportedGenerationMethods: ['generateContent'] })),
    };
  if (protocol === 'anthropic')
    return { data: models.map((id) => ({ type: 'model', id, display_name: id })), has_more: false };
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'standin' })) };
}

function authFailure(protocol: StandinProtocol): StandinFailure {
  // Google answers a wrong key with 400, not 401, as the real API does.
  if (protocol === 'google')
    return { status: 400, message: 'API key not valid. Please pass a valid API key.' };
  if (protocol === 'anthropic') return { status: 401, message: 'invalid x-api-key' };
  return {
    status: 401,
    message: 'Incorrect API key provided: sk-wr***. You can find your API key at your dashboard.',
  };
}

function notFound(protocol: StandinProtocol, model: string): StandinFailure {
  if (protocol === 'google')
    return {
      status: 404,
      message: `models/${model} is not found for API version v1beta, or is not supported for generateContent.`,
    };
  if (protocol === 'anthropic') return { status: 404, message: `model: ${model}` };
  return { status: 404, message: `The model \`${model}\` does not exist or you do not have access to it.` };
}

/** A failure in the body each provider really sends. */
function fail(res: ServerResponse, protocol: StandinProtocol, failure: StandinFailure): void {
  const message = failure.message ?? `failure ${failure.status}`;
  const { status } = failure;
  if (protocol === 'google') {
    const googleStatus =
      status === 400
        ? 'INVALID_ARGUMENT'
        : status === 404
          ? 'NOT_FOUND'
          : status === 429
            ? 'RESOURCE_EXHAUSTED'
            : 'INTERNAL';
    json(res, status, { error: { code: status, message, status: googleStatus } }, failure.headers);
    return;
  }
  if (protocol === 'anthropic') {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 404
          ? 'not_found_error'
          : status === 429
            ? 'rate_limit_error'
            : status === 529
              ? 'overloaded_error'
              : 'api_error';
    json(res, status, { type: 'error', error: { type, message } }, failure.headers);
    return;
  }
  const code =
    status === 401
      ? 'invalid_api_key'
      : status === 404
        ? 'model_not_found'
        : status === 429
          ? 'rate_limit_exceeded'
          : null;
  json(
    res,
    status,
    { error: { message, type: 'invalid_request_error', param: null, code } },
    failure.headers,
  );
}

interface Rendered {
  whole: unknown;
  events: { event?: string; data: unknown }[];
}

function render(
  protocol: StandinProtocol,
  model: string,
  body: Record<string, unknown>,
  reply: StandinReply,
): Rendered {
  const usage = reply.usage ?? { input: 10, output: 5 };
  const calls = reply.toolCalls ?? [];
  if (protocol === 'openai') return renderOpenAi(model, reply, calls, usage);
  if (protocol === 'anthropic') return renderAnthropic(model, body, reply, calls, usage);
  return renderGoogle(model, reply, calls, usage);
}

function textOf(reply: StandinReply): string {
  return reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
}

function renderOpenAi(
  model: string,
  reply: StandinReply,
  calls: NonNullable<StandinReply['toolCalls']>,
  usage: { input: number; output: number },
): Rendered {
  const text = textOf(reply);
  const toolCalls = calls.map((call, index) => ({
    id: `call_${index + 1}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  const finish = calls.length > 0 ? 'tool_calls' : 'stop';
  const openAiUsage = {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  const base = { id: 'chatcmpl-standin', created: Math.floor(Date.now() / 1000), model };
  const whole = {
    ...base,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finish,
      },
    ],
    usage: openAiUsage,
  };
  const chunk = (delta: unknown, finishReason: string | null) => ({
    data: {
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    },
  });
  const events = [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces(text).map((piece) => chunk({ content: piece }, null)),
    ...toolCalls.map((call, index) => chunk({ tool_calls: [{ index, ...call }] }, null)),
    chunk({}, finish),
    { data: { ...base, object: 'chat.completion.chunk', choices: [], usage: openAiUsage } },
  ];
  return { whole, events };
}

function renderAnthropic(
  model: string,
  body: Record<string, unknown>,
  reply: StandinReply,
  calls: NonNullable<StandinReply['toolCalls']>,
  usage: { input: number; output: number },
): Rendered {
  // Without native structured output, the SDK asks for the answer as a call of a tool named json.
  const offeredJsonTool =
    Array.isArray(body.tools) && body.tools.some((tool: { name?: unknown }) => tool.name === 'json');
  const allCalls =
    reply.json !== undefined && offeredJsonTool
      ? [...calls, { name: 'json', arguments: reply.json as Record<string, unknown> }]
      : calls;
  const text = reply.json !== undefined && offeredJsonTool ? (reply.text ?? '') : textOf(reply);
  const content = [
    ...(text === '' ? [] : [{ type: 'text', text }]),
    ...allCalls.map((call, index) => ({
      type: 'tool_use',
      id: `toolu_${index + 1}`,
      name: call.name,
      input: call.arguments,
    })),
  ];
  const stopReason = allCalls.length > 0 ? 'tool_use' : 'end_turn';
  const message = { id: 'msg_standin', type: 'message', role: 'assistant', model };
  const whole = {
    ...message,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
  const events: Rendered['events'] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      },
    },
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({
        event: 'content_block_start',
        data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      });
      for (const piece of pieces(text))
        events.push({
          event: 'content_block_delta',
          data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
        });
    } else {
      const { input, ...start } = block as { input: unknown };
      events.push({
        event: 'content_block_start',
        data: { type: 'content_block_start', index, content_block: { ...start, input: {} } },
      });
      events.push({
        event: 'content_block_delta',
        data: {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) },
        },
      });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  });
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return { whole, events };
}

function renderGoogle(
  model: string,
  reply: StandinReply,
  calls: NonNullable<StandinReply['toolCalls']>,
  usage: { input: number; output: number },
): Rendered {
  const text = textOf(reply);
  const usageMetadata = {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output,
  };
  const callParts = calls.map((call) => ({ functionCall: { name: call.name, args: call.arguments } }));
  const candidate = (parts: unknown[], finishReason?: string) => ({
    candidates: [
      {
        content: { parts, role: 'model' },
        index: 0,
        ...(finishReason === undefined ? {} : { finishReason }),
      },
    ],
    modelVersion: model,
  });
  const whole = { ...candidate([...(text === '' ? [] : [{ text }]), ...callParts], 'STOP'), usageMetadata };
  const textPieces = pieces(text);
  const events: Rendered['events'] = textPieces.map((piece) => ({ data: candidate([{ text: piece }]) }));
  events.push({ data: { ...candidate(callParts, 'STOP'), usageMetadata } });
  return { whole, events };
}

/** A text cut in a few pieces, so a stream really arrives in parts. */
function pieces(text: string): string[] {
  if (text === '') return [];
  const size = Math.max(1, Math.ceil(text.length / 3));
  const result: string[] = [];
  for (let at = 0; at < text.length; at += size) result.push(text.slice(at, at + size));
  return result;
}
