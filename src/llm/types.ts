// The provider-neutral vocabulary of the LLM layer: one forced tool call in, one tool input out.
export type ProviderName = 'anthropic' | 'openai' | 'gemini' | 'offline';

/** A JSON Schema describing an object, as every provider expects for tool parameters. */
export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [keyword: string]: unknown;
}

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A request whose only acceptable answer is one call of `tool`. */
export interface ToolCallRequest {
  system: string;
  messages: ChatMessage[];
  tool: { name: string; description: string; inputSchema: JsonSchemaObject };
  maxOutputTokens: number;
  temperature?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ToolCallResult {
  provider: ProviderName;
  model: string;
  /** The model's arguments for the tool, not yet validated: see parseToolInput. */
  toolInput: unknown;
  usage: TokenUsage;
  costUsd: number;
  stopReason?: string;
}

export interface CallOptions {
  /** Aborts the HTTP request, e.g. with the activity's cancellation signal. */
  signal?: AbortSignal;
}

/** One configured provider: a model behind an SDK client, answering one attempt per call. */
export interface LlmProvider {
  readonly name: ProviderName;
  readonly model: string;
  callTool(request: ToolCallRequest, options?: CallOptions): Promise<ToolCallResult>;
}

/** How to reach one provider. `baseUrl` follows each SDK's convention (OpenAI's includes `/v1`). */
export interface ProviderSettings {
  apiKey: string;
  model: string;
  baseUrl?: string;
  /** Per HTTP request; keep it below the activity's start-to-close timeout. */
  timeoutMs: number;
}
