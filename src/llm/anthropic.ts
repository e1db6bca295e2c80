// Anthropic Messages API: the tool is forced with tool_choice `{ type: 'tool' }` and answered in a `tool_use` block.
import Anthropic from '@anthropic-ai/sdk';
import { classifyFailures } from './errors.js';
import { toToolCallResult } from './tool-input.js';
import type { LlmProvider, ProviderSettings } from './types.js';

export function createAnthropicProvider(settings: ProviderSettings): LlmProvider {
  // Temporal owns retries, so the SDK must fail fast and let the activity report the failure.
  const client = new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl,
    maxRetries: 0,
    timeout: settings.timeoutMs,
  });
  return {
    name: 'anthropic',
    model: settings.model,
    callTool: (request, options) =>
      classifyFailures('anthropic', settings.apiKey, async () => {
        const { tool } = request;
        const message = await client.messages.create(
          {
            model: settings.model,
            max_tokens: request.maxOutputTokens,
            system: request.system,
            messages: request.messages,
            tools: [{ name: tool.name, description: tool.description, input_schema: tool.inputSchema }],
            tool_choice: { type: 'tool', name: tool.name },
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          { signal: options?.signal },
        );
        const { usage } = message;
        return toToolCallResult(request, {
          provider: 'anthropic',
          model: message.model || settings.model,
          toolCalls: message.content.flatMap((block) =>
            block.type === 'tool_use' ? [{ name: block.name, input: block.input }] : [],
          ),
          usage: {
            inputTokens:
              usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
            outputTokens: usage.output_tokens,
          },
          stopReason: message.stop_reason ?? undefined,
          refused: message.stop_reason === 'refusal',
        });
      }),
  };
}
