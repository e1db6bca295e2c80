// Gemini generateContent through @google/genai: function calling mode ANY restricted to the one allowed function.
import { FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { classifyFailures } from './errors.js';
import { toToolCallResult } from './tool-input.js';
import type { LlmProvider, ProviderSettings } from './types.js';

/** Finish or block reasons that mean Google's safety and policy filters stopped the answer. */
const policyReasons = new Set(['SAFETY', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'RECITATION']);

export function createGeminiProvider(settings: ProviderSettings): LlmProvider {
  const client = new GoogleGenAI({
    apiKey: settings.apiKey,
    vertexai: false,
    httpOptions: {
      baseUrl: settings.baseUrl,
      timeout: settings.timeoutMs,
      // One attempt: Temporal owns retries, so the SDK must fail fast and let the activity report the failure.
      retryOptions: { attempts: 1 },
      // Without a fetch of its own the SDK reaches for undici's process-wide dispatcher, which isolated module realms
      // (Jest's vm modules) cannot see. Our timeout is far below undici's own, so the plain global fetch loses nothing.
      fetch: (input, init) => fetch(input, init),
    },
  });
  return {
    name: 'gemini',
    model: settings.model,
    callTool: (request, options) =>
      classifyFailures('gemini', settings.apiKey, async () => {
        const { tool } = request;
        const response = await client.models.generateContent({
          model: settings.model,
          contents: request.messages.map((message) => ({
            role: message.role === 'assistant' ? 'model' : 'user',
            parts: [{ text: message.content }],
          })),
          config: {
            systemInstruction: request.system,
            maxOutputTokens: request.maxOutputTokens,
            temperature: request.temperature,
            tools: [
              {
                functionDeclarations: [
                  { name: tool.name, description: tool.description, parametersJsonSchema: tool.inputSchema },
                ],
              },
            ],
            toolConfig: {
              functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: [tool.name] },
            },
            abortSignal: options?.signal,
          },
        });
        const usage = response.usageMetadata;
        const stopReason = response.promptFeedback?.blockReason ?? response.candidates?.[0]?.finishReason;
        return toToolCallResult(request, {
          provider: 'gemini',
          model: response.modelVersion || settings.model,
          toolCalls: (response.functionCalls ?? []).map((call) => ({ name: call.name ?? '', input: call.args ?? {} })),
          usage: {
            inputTokens: usage?.promptTokenCount ?? 0,
            // Gemini 2.5 bills its thinking tokens as output.
            outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
          },
          stopReason,
          refused: stopReason !== undefined && policyReasons.has(stopReason),
        });
      }),
  };
}
