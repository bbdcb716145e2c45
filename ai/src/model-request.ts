import type { AiProviderKind } from '@parley/contract';

/** Where a model runs and how to reach it. */
export interface ProviderConfig {
  kind: AiProviderKind;
  /** Sent as the provider expects it (bearer token, `x-api-key`, `x-goog-api-key`). */
  apiKey?: string;
  /** The provider's API root; required for `openai_compatible`, optional (a proxy) for the others. */
  baseUrl?: string;
}

/** A JSON Schema object, as tools and structured output take it. */
export type JsonSchema = Record<string, unknown>;

export type MessagePart =
  | { type: 'text'; text: string }
  /** An image as bytes (with its media type) or as a URL the provider fetches itself. */
  | { type: 'image'; image: Uint8Array | URL; mediaType?: string };

/**
 * A line of the conversation with the model: the user's words, the model's (with the tools it
 * called), or what those tools answered.
 */
export type ModelMessage =
  | { role: 'user'; content: string | MessagePart[] }
  | { role: 'assistant'; content: string | MessagePart[]; toolCalls?: ToolCall[] }
  | { role: 'tool'; results: ToolResult[] };

/** What a tool the model called answered, matched to the call by its id. */
export interface ToolResult {
  id: string;
  name: string;
  output: unknown;
}

/** A tool the model may call: it answers with the call, Parley decides what to do with it. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface ModelRequest {
  provider: ProviderConfig;
  model: string;
  system?: string;
  messages: ModelMessage[];
  tools?: ToolSpec[];
  /** When given, the model answers with a JSON value of this schema (`result.output`). */
  output?: {
    schema: JsonSchema;
    name?: string;
    description?: string;
    /**
     * The answer need only be a JSON object: the caller checks each value itself (an extraction
     * keeps the values that meet their schema and refuses the others, instead of losing all).
     */
    perValue?: boolean;
  };
  maxOutputTokens?: number;
  /** For the whole call, retries included. */
  timeoutMs?: number;
  /** Asks the provider for a stream (SSE) and gathers it: the same result either way. */
  stream?: boolean;
}

export interface ToolCall {
  /** The provider's id of the call, which its result must name. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /** Why the call could not be read (an unknown tool, arguments that are not JSON or break the schema). */
  invalid?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelResult {
  text: string;
  toolCalls: ToolCall[];
  /** The JSON value when the request asked for `output`, checked against its schema. */
  output?: unknown;
  usage: TokenUsage;
  finishReason: FinishReason;
  /** How many calls it took (more than one after a rate limit). */
  attempts: number;
}

/** One way to answer a model request: the real providers, or a script. */
export interface ModelGateway {
  generate(request: ModelRequest): Promise<ModelResult>;
}
