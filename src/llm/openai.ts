// OpenAI Chat Completions: the function is forced with tool_choice and its arguments arrive as a JSON string.
import OpenAI from 'openai';
import { classifyFailures } from './errors.js';
import { parseToolArguments, toToolCallResult } from './tool-input.js';
import type { LlmProvider, ProviderSettings } from './types.js';

export function createOpenAiProvider(settings: ProviderSettings): LlmProvider {
  // Temporal owns retries, so the SDK must fail fast and let the activity report the failure.
  const client = new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl,
    maxRetries: 0,
    timeout: settings.timeoutMs,
  });
  return {
    name: 'openai',
    model: settings.model,
    callTool: (request, options) =>
      classifyFailures('openai', settings.apiKey, async () => {
        const { tool } = request;
        const completion = await client.chat.completions.create(
          {
            model: settings.model,
            max_completion_tokens: request.maxOutputTokens,
            messages: [{ role: 'system', content: request.system }, ...request.messages],
            tools: [
              {
                type: 'function',
                function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
              },
            ],
            tool_choice: { type: 'function', function: { name: tool.name } },
            ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          },
          { signal: options?.signal },
        );
        const choice = completion.choices[0];
        const calls = choice?.message.tool_calls ?? [];
        return toToolCallResult(request, {
          provider: 'openai',
          model: completion.model || settings.model,
          toolCalls: calls.flatMap((call) =>
            call.type === 'function'
              ? [
                  {
                    name: call.function.name,
                    input: parseToolArguments('openai', call.function.name, call.function.arguments),
                  },
                ]
              : [],
          ),
          usage: {
            inputTokens: completion.usage?.prompt_tokens ?? 0,
            outputTokens: completion.usage?.completion_tokens ?? 0,
          },
          stopReason: choice?.finish_reason,
          refused: choice?.finish_reason === 'content_filter' || Boolean(choice?.message.refusal),
        });
      }),
  };
}
