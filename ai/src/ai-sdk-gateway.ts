import type { AiProviderKind } from '@parley/contract';
import {
  APICallError,
  DownloadError,
  generateText,
  JSONParseError,
  type JSONValue,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  type ModelMessage as SdkMessage,
  streamText,
  type ToolSet,
  TypeValidationError,
  tool,
} from 'ai';
import { Ajv } from 'ajv';
import {
  authRefused,
  badAnswer,
  blockedAddress,
  imageUnavailable,
  ModelError,
  type ModelErrorCode,
  modelNotFound,
  providerError,
  rateLimited,
  timedOut,
  unreachable,
} from './model-error.js';
import type {
  FinishReason,
  JsonSchema,
  ModelGateway,
  ModelMessage,
  ModelRequest,
  ModelResult,
  TokenUsage,
  ToolCall,
} from './model-request.js';
import { type FetchFunction, languageModel, PROVIDER_NAMES } from './providers.js';
import { backoffMs, retryAfterMs } from './retry-after.js';

export interface AiSdkGatewayOptions {
  /** How HTTP goes out; the API passes one that refuses private addresses unless allowed. */
  fetch?: FetchFunction;
  /** Calls per request at most, the first included (default 3). */
  maxAttempts?: number;
  /** A provider asking to wait longer than this (default 20 s) fails at once instead. */
  maxRetryWaitMs?: number;
  /** When the request gives none (default 60 s). */
  defaultTimeoutMs?: number;
  /** Told of every call once it is over, for metrics and usage: what it used, or why it failed. */
  onCall?: (call: ModelCallRecord) => void;
}

/** One finished call (its retries included). */
export interface ModelCallRecord {
  kind: AiProviderKind;
  model: string;
  ok: boolean;
  /** Why it failed; undefined when it worked. */
  code?: ModelErrorCode;
  usage: TokenUsage;
  latencyMs: number;
  attempts: number;
}

/** Statuses worth another try: rate limits and a provider's passing trouble (529: Anthropic overloaded). */
const RETRYABLE = new Set([429, 500, 502, 503, 504, 529]);

/** The real providers, through the Vercel AI SDK, with bounded retries on rate limits. */
export class AiSdkGateway implements ModelGateway {
  private readonly fetch: FetchFunction;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly defaultTimeoutMs: number;
  private readonly onCall: AiSdkGatewayOptions['onCall'];

  constructor(options: AiSdkGatewayOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 20_000;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
    this.onCall = options.onCall;
  }

  async generate(request: ModelRequest): Promise<ModelResult> {
    const started = Date.now();
    const record = (ok: boolean, usage: TokenUsage, attempts: number, code?: ModelErrorCode) =>
      this.onCall?.({
        kind: request.provider.kind,
        model: request.model,
        ok,
        ...(code === undefined ? {} : { code }),
        usage,
        latencyMs: Date.now() - started,
        attempts,
      });
    const progress = { attempts: 0 };
    try {
      const result = await this.withRetries(request, progress);
      record(true, result.usage, result.attempts);
      return result;
    } catch (error) {
      if (error instanceof ModelError)
        record(false, { inputTokens: 0, outputTokens: 0 }, progress.attempts, error.code);
      throw error;
    }
  }

  private async withRetries(request: ModelRequest, progress: { attempts: number }): Promise<ModelResult> {
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      progress.attempts += 1;
      const attempt = progress.attempts;
      try {
        return { ...(await this.once(request, signal)), attempts: attempt };
      } catch (error) {
        const failure = toModelError(error, request, timeoutMs, signal);
        const status = failure.options.status;
        if (status === undefined || !RETRYABLE.has(status) || attempt >= this.maxAttempts) throw failure;
        const wait = failure.retryAfterMs ?? backoffMs(attempt);
        if (wait > this.maxRetryWaitMs || Date.now() + wait >= deadline) throw failure;
        await sleep(wait, signal).catch(() => {
          throw timedOut(PROVIDER_NAMES[request.provider.kind], timeoutMs);
        });
      }
    }
  }

  private async download(
    url: URL,
    signal: AbortSignal,
  ): Promise<{ data: Uint8Array; mediaType: string | undefined }> {
    let response: Response;
    try {
      response = await this.fetch(url, { signal });
    } catch (error) {
      throw new DownloadError({ url: url.href, cause: error });
    }
    if (!response.ok)
      throw new DownloadError({
        url: url.href,
        statusCode: response.status,
        statusText: response.statusText,
        message: `the address answered HTTP ${response.status}`,
      });
    const tooLarge = () =>
      new DownloadError({ url: url.href, message: `it is over ${MAX_IMAGE_BYTES / 1024 / 1024} MB` });
    // Refused before reading when the size is announced; checked after reading when it is not.
    if (Number(response.headers.get('content-length') ?? 0) > MAX_IMAGE_BYTES) {
      await response.body?.cancel();
      throw tooLarge();
    }
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.byteLength > MAX_IMAGE_BYTES) throw tooLarge();
    return { data, mediaType: response.headers.get('content-type') ?? undefined };
  }

  private async once(request: ModelRequest, signal: AbortSignal): Promise<Omit<ModelResult, 'attempts'>> {
    const common = {
      model: languageModel(request.provider, request.model, this.fetch),
      ...(request.system === undefined ? {} : { system: request.system }),
      messages: request.messages.map(toSdkMessage),
      ...(request.tools === undefined || request.tools.length === 0 ? {} : { tools: toolSet(request) }),
      ...(request.output === undefined
        ? {}
        : {
            output: Output.object({
              schema: checkedSchema(request.output.schema, request.output.perValue === true),
              ...(request.output.name === undefined ? {} : { name: request.output.name }),
              ...(request.output.description === undefined
                ? {}
                : { description: request.output.description }),
            }),
          }),
      ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
      abortSignal: signal,
      // Retries are ours: the SDK's ignore how long the provider asked to wait.
      maxRetries: 0,
      // Image URLs a provider cannot fetch itself are fetched here, through the same (guarded) fetch.
      experimental_download: (files: { url: URL; isUrlSupportedByModel: boolean }[]) =>
        Promise.all(
          files.map((file) => (file.isUrlSupportedByModel ? null : this.download(file.url, signal))),
        ),
    };
    if (request.stream === true) {
      let failure: unknown;
      const result = streamText({
        ...common,
        onError: ({ error }) => {
          failure = error;
        },
      });
      // Every promise settles once the stream ends; reading them drains it.
      const [text, toolCalls, usage, finishReason] = await Promise.all([
        result.text,
        result.toolCalls,
        result.usage,
        result.finishReason,
      ]).catch((error: unknown) => {
        throw failure ?? error;
      });
      if (failure !== undefined) throw failure;
      const output = request.output === undefined ? undefined : await result.output;
      return shape(text, toolCalls, usage, finishReason, output, request.output !== undefined);
    }
    const result = await generateText(common);
    const output = request.output === undefined ? undefined : result.output;
    return shape(
      result.text,
      result.toolCalls,
      result.usage,
      result.finishReason,
      output,
      request.output !== undefined,
    );
  }
}

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** A tool call as the SDK hands it back: `invalid` when it could not be read against the tool's schema. */
interface SdkToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  invalid?: boolean;
  error?: unknown;
}

function toolCallOf(call: SdkToolCall): ToolCall {
  const readable = call.input !== null && typeof call.input === 'object' && !Array.isArray(call.input);
  const invalid =
    call.invalid === true
      ? call.error instanceof Error
        ? call.error.message
        : 'the call could not be read'
      : readable
        ? undefined
        : 'its arguments are not an object';
  return {
    id: call.toolCallId,
    name: call.toolName,
    arguments: readable ? (call.input as Record<string, unknown>) : {},
    ...(invalid === undefined ? {} : { invalid }),
  };
}

function shape(
  text: string,
  toolCalls: ReadonlyArray<SdkToolCall>,
  usage: { inputTokens: number | undefined; outputTokens: number | undefined },
  finishReason: string,
  output: unknown,
  withOutput: boolean,
): Omit<ModelResult, 'attempts'> {
  return {
    text,
    toolCalls: toolCalls.map(toolCallOf),
    ...(withOutput ? { output } : {}),
    usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 },
    finishReason: FINISH_REASONS.has(finishReason) ? (finishReason as FinishReason) : 'other',
  };
}

const FINISH_REASONS = new Set<string>(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']);

function toSdkMessage(message: ModelMessage): SdkMessage {
  if (message.role === 'tool') {
    return {
      role: 'tool',
      content: message.results.map((result) => ({
        type: 'tool-result' as const,
        toolCallId: result.id,
        toolName: result.name,
        output: { type: 'json' as const, value: (result.output ?? null) as JSONValue },
      })),
    };
  }
  if (message.role === 'assistant') {
    const text =
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    if (message.toolCalls === undefined || message.toolCalls.length === 0) {
      return { role: 'assistant', content: text };
    }
    return {
      role: 'assistant',
      content: [
        ...(text === '' ? [] : [{ type: 'text' as const, text }]),
        ...message.toolCalls.map((call) => ({
          type: 'tool-call' as const,
          toolCallId: call.id,
          toolName: call.name,
          input: call.arguments,
        })),
      ],
    };
  }
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  return {
    role: 'user',
    content: message.content.map((part) =>
      part.type === 'text'
        ? { type: 'text', text: part.text }
        : {
            type: 'image',
            image: part.image,
            ...(part.mediaType === undefined ? {} : { mediaType: part.mediaType }),
          },
    ),
  };
}

/** Tools without an `execute`: the SDK hands the model's calls back instead of running them. */
function toolSet(request: ModelRequest): ToolSet {
  return Object.fromEntries(
    (request.tools ?? []).map((spec) => [
      spec.name,
      tool({ description: spec.description, inputSchema: checkedSchema(spec.parameters) }),
    ]),
  );
}

const ajv = new Ajv({ allErrors: false, strict: false });

/**
 * A JSON Schema the SDK sends to the provider and checks the answer against (with `objectOnly`,
 * only that the answer is a JSON object).
 */
function checkedSchema(schema: JsonSchema, objectOnly = false) {
  const validate = ajv.compile(objectOnly ? { type: 'object' } : schema);
  return jsonSchema<unknown>(schema as Parameters<typeof jsonSchema>[0], {
    validate: (value) =>
      validate(value)
        ? { success: true, value }
        : { success: false, error: new Error(ajv.errorsText(validate.errors, { dataVar: 'answer' })) },
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Any failure of a call, as a ModelError that says what to do. */
export function toModelError(
  error: unknown,
  request: ModelRequest,
  timeoutMs: number,
  signal: AbortSignal,
): ModelError {
  if (error instanceof ModelError) return error;
  const name = PROVIDER_NAMES[request.provider.kind];
  if (signal.aborted) return timedOut(name, timeoutMs);
  // The private-address guard refused a connection (to the provider, or to an image's address).
  const blocked = findCause(error, (cause) => cause.name === 'BlockedAddressError');
  if (blocked !== undefined) return blockedAddress(String((blocked as { address?: unknown }).address));
  if (DownloadError.isInstance(error)) return imageUnavailable(error.url, describeCause(error));
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const detail = error.message;
    if (status === undefined) return unreachable(name, describeCause(error));
    // Google answers a wrong key with 400 "API key not valid".
    if (status === 401 || status === 403 || (status === 400 && /api key/i.test(detail)))
      return authRefused(name, detail);
    if (status === 404) return modelNotFound(name, request.model, detail);
    if (status === 429) return rateLimited(name, retryAfterMs(error.responseHeaders), detail);
    return providerError(name, status, detail);
  }
  if (
    NoObjectGeneratedError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    JSONParseError.isInstance(error)
  ) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return badAnswer(name, cause);
  }
  return providerError(name, undefined, error instanceof Error ? error.message : String(error));
}

function findCause(error: unknown, match: (cause: Error) => boolean): Error | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (match(current)) return current;
    current = current.cause;
  }
  return undefined;
}

/** The innermost reason a connection failed (refused, no such host…), in its own words. */
function describeCause(error: Error): string {
  let innermost: Error = error;
  for (let current: unknown = error.cause, depth = 0; current instanceof Error && depth < 8; depth++) {
    innermost = current;
    current = current.cause;
  }
  const code = (innermost as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'nothing answers at that address (connection refused)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'no such host name';
  return innermost.message;
}
