// The LLM provider layer, for activities only: forced tool calls on Anthropic, OpenAI, Gemini or offline rules.
export type {
  CallOptions,
  ChatMessage,
  JsonSchemaObject,
  LlmProvider,
  ProviderName,
  TokenUsage,
  ToolCallRequest,
  ToolCallResult,
} from './types.js';
export {
  availableProviders,
  buildProviderChain,
  callProvider,
  defaultModels,
  defaultOrder,
  type LlmConfig,
  type ProviderChain,
  type ProviderConfig,
} from './providers.js';
export {
  classifyError,
  LlmError,
  MalformedOutputError,
  toActivityFailure,
  type LlmErrorKind,
  type SchemaIssue,
} from './errors.js';
export { estimateCostUsd, priceOf, type ModelPrice } from './pricing.js';
export { parseToolInput } from './tool-input.js';
export { jsonLine } from './quoted-data.js';
export { offlineModel, type OfflineRule, type OfflineRules } from './offline.js';
