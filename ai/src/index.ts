export { AiSdkGateway, type AiSdkGatewayOptions, type ModelCallRecord } from './ai-sdk-gateway.js';
export { MODEL_ERROR_CODES, ModelError, type ModelErrorCode } from './model-error.js';
export { knownModels, listModels, type ModelList } from './model-list.js';
export type {
  FinishReason,
  JsonSchema,
  MessagePart,
  ModelGateway,
  ModelMessage,
  ModelRequest,
  ModelResult,
  ProviderConfig,
  TokenUsage,
  ToolCall,
  ToolResult,
  ToolSpec,
} from './model-request.js';
export {
  type CostEstimate,
  estimateCost,
  MODEL_PRICES,
  type ModelPrice,
  PRICES_AS_OF,
  priceOf,
} from './prices.js';
export { baseUrlOf, DEFAULT_BASE_URLS, type FetchFunction, PROVIDER_NAMES } from './providers.js';
export { ModelScript, ScriptedModel, UnscriptedRequest } from './scripted-model.js';
