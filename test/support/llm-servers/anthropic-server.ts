// Anthropic's Messages API (POST /v1/messages) as the SDK sees it: x-api-key or Bearer auth, tool_use blocks, typed error bodies.
import {
  defaultUsage,
  field,
  randomId,
  retryAfterHeader,
  startScriptedServer,
  type ScriptedLlmServer,
  type ScriptedServerOptions,
  type WireProtocol,
  type WireResponse,
} from './scripted-server.js';

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function errorResponse(status: number, type: string | undefined, message: string): WireResponse {
  return { status, body: { type: 'error', error: { type: type ?? errorTypes[status] ?? 'api_error', message }, request_id: randomId('req_') } };
}

export const anthropicProtocol: WireProtocol = {
  basePath: '',
  modelOf: (method, path, body) => (method === 'POST' && path === '/v1/messages' ? String(field(body, 'model')) : undefined),
  // The API takes the key as `x-api-key` or, as SDK 1.x sends it, as a Bearer token.
  rejectKey: (request, apiKey) =>
    request.headers['x-api-key'] === apiKey || request.headers.authorization === `Bearer ${apiKey}`
      ? undefined
      : errorResponse(401, 'authentication_error', 'invalid x-api-key'),
  rejectRequest(request) {
    if (!request.headers['anthropic-version']) return errorResponse(400, undefined, 'anthropic-version: header is required');
    const missing = ['model', 'max_tokens', 'messages'].filter((name) => field(request.body, name) === undefined);
    return missing.length > 0 ? errorResponse(400, undefined, `${missing[0]}: Field required`) : undefined;
  },
  error: (reply) => ({
    ...errorResponse(reply.status, reply.type, reply.message ?? `scripted ${reply.status}`),
    headers: retryAfterHeader(reply),
  }),
  success(reply, model, requestBody) {
    const message = {
      id: randomId('msg_'),
      type: 'message',
      role: 'assistant',
      model,
      stop_sequence: null,
      usage: {
        input_tokens: defaultUsage.inputTokens,
        output_tokens: defaultUsage.outputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        service_tier: 'standard',
      },
    };
    switch (reply.kind) {
      case 'tool': {
        const name = reply.toolName ?? String(field(requestBody, 'tool_choice', 'name'));
        const usage = reply.usage ?? defaultUsage;
        return {
          ...message,
          content: [{ type: 'tool_use', id: randomId('toolu_'), name, input: reply.input }],
          stop_reason: 'tool_use',
          usage: { ...message.usage, input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
        };
      }
      case 'text':
        return { ...message, content: [{ type: 'text', text: reply.text, citations: null }], stop_reason: 'end_turn' };
      case 'refusal':
        return { ...message, content: [], stop_reason: 'refusal' };
      case 'raw-arguments':
        return undefined;
    }
  },
  responseHeaders: () => ({ 'request-id': randomId('req_') }),
};

export function startAnthropicServer(options: ScriptedServerOptions): Promise<ScriptedLlmServer> {
  return startScriptedServer(anthropicProtocol, options);
}
