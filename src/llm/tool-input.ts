// Turning a provider's answer into a ToolCallResult, and the checks every provider's answer goes through.
import type { ZodType } from 'zod';
import { LlmError, MalformedOutputError } from './errors.js';
import { parseJson } from './json.js';
import { estimateCostUsd } from './pricing.js';
import type { ProviderName, TokenUsage, ToolCallRequest, ToolCallResult } from './types.js';

/** What a provider module extracted from its SDK's response, before the shared checks. */
export interface ProviderAnswer {
  provider: ProviderName;
  model: string;
  /** The called tools' names and their inputs, in answer order. */
  toolCalls: { name: string; input: unknown }[];
  usage: TokenUsage;
  stopReason?: string;
  /** The provider stopped because of its content policy: retrying or reformatting cannot help. */
  refused: boolean;
}

export function toToolCallResult(request: ToolCallRequest, answer: ProviderAnswer): ToolCallResult {
  const { provider, model, usage, stopReason } = answer;
  if (answer.refused) {
    const message = `${provider} refused the request (content policy, stop reason ${stopReason})`;
    throw new LlmError('invalid_request', provider, message, { providerErrorType: stopReason });
  }
  const call = answer.toolCalls.find((candidate) => candidate.name === request.tool.name);
  if (!call) {
    const called = answer.toolCalls.map((candidate) => candidate.name).join(', ') || 'no tool';
    throw new MalformedOutputError(
      provider,
      `${provider} did not call tool ${request.tool.name} (called ${called}, stop reason ${stopReason ?? 'unknown'})`,
    );
  }
  return { provider, model, toolInput: call.input, usage, costUsd: estimateCostUsd(model, usage), stopReason };
}

/** OpenAI sends tool arguments as a JSON string, which the model may have left invalid. */
export function parseToolArguments(provider: ProviderName, toolName: string, json: string): unknown {
  const parsed = parseJson(json);
  if (parsed.ok) return parsed.value;
  throw new MalformedOutputError(provider, `${provider} sent invalid JSON arguments for ${toolName}: ${parsed.reason}`);
}

/** Validates the tool input with the caller's schema; a mismatch is the model's fault, hence MalformedOutputError. */
export function parseToolInput<T>(result: ToolCallResult, schema: ZodType<T>): T {
  const parsed = schema.safeParse(result.toolInput);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
  const message = `${result.provider} tool input does not match the schema: ${summary}`;
  throw new MalformedOutputError(result.provider, message, issues);
}
