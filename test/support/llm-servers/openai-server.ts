// OpenAI's Chat Completions API (POST /v1/chat/completions): Bearer auth, tool_calls with JSON-string arguments.
import {
  defaultUsage,
  field,
  randomId,
  retryAfterHeader,
  startScriptedServer,
  type ScriptedLlmServer,
  type ScriptedServerOptions,
  type ScriptedUsage,
  type WireProtocol,
  type WireResponse,
} from './scripted-server.js';

const errorTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: 'service_unavailable' },
};

function errorResponse(status: number, type: string | undefined, message: string): WireResponse {
  const known = errorTypes[status] ?? { type: 'server_error', code: null };
  return { status, body: { error: { message, type: type ?? known.type, param: null, code: known.code } } };
}

/** OpenAI echoes a masked key in its 401 message: the first and last characters only. */
function maskKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '***';
}

function completion(model: string, message: Record<string, unknown>, finishReason: string, usage: ScriptedUsage) {
  return {
    id: randomId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, annotations: [], ...message }, logprobs: null, finish_reason: finishReason }],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_scripted',
  };
}

function toolCall(name: string, args: string) {
  return { tool_calls: [{ id: randomId('call_'), type: 'function', function: { name, arguments: args } }] };
}

export const openAiProtocol: WireProtocol = {
  basePath: '/v1',
  modelOf: (method, path, body) => (method === 'POST' && path === '/v1/chat/completions' ? String(field(body, 'model')) : undefined),
  rejectKey(request, apiKey) {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer === apiKey) return undefined;
    const message = bearer
      ? `Incorrect API key provided: ${maskKey(bearer)}. You can find your API key at https://platform.openai.com/account/api-keys.`
      : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.";
    return errorResponse(401, undefined, message);
  },
  error: (reply) => ({
    ...errorResponse(reply.status, reply.type, reply.message ?? `scripted ${reply.status}`),
    headers: retryAfterHeader(reply),
  }),
  success(reply, model, requestBody) {
    // A tool forced by name finishes with `stop`, not `tool_calls`.
    const name = () => String(field(requestBody, 'tool_choice', 'function', 'name'));
    switch (reply.kind) {
      case 'tool':
        return completion(model, toolCall(reply.toolName ?? name(), JSON.stringify(reply.input)), 'stop', reply.usage ?? defaultUsage);
      case 'raw-arguments':
        return completion(model, toolCall(name(), reply.arguments), 'stop', defaultUsage);
      case 'text':
        return completion(model, { content: reply.text }, 'stop', defaultUsage);
      case 'refusal':
        return completion(model, {}, 'content_filter', defaultUsage);
    }
  },
  responseHeaders: () => ({ 'x-request-id': randomId('req_'), 'openai-processing-ms': '42' }),
};

export function startOpenAiServer(options: ScriptedServerOptions): Promise<ScriptedLlmServer> {
  return startScriptedServer(openAiProtocol, options);
}
