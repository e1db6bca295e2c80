// Gemini's generateContent (POST /v1beta|v1/models/{model}:generateContent): x-goog-api-key or ?key= auth,
// functionCall parts, google.rpc error bodies.
import {
  defaultUsage,
  field,
  randomId,
  startScriptedServer,
  type ScriptedLlmServer,
  type ScriptedServerOptions,
  type ScriptedUsage,
  type WireProtocol,
  type WireResponse,
} from './scripted-server.js';

const statuses: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function errorResponse(code: number, status: string | undefined, message: string, details?: unknown[]): WireResponse {
  return { status: code, body: { error: { code, message, status: status ?? statuses[code] ?? 'UNKNOWN', ...(details ? { details } : {}) } } };
}

const invalidKeyMessage = 'API key not valid. Please pass a valid API key.';
const invalidKey = errorResponse(400, 'INVALID_ARGUMENT', invalidKeyMessage, [
  {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason: 'API_KEY_INVALID',
    domain: 'googleapis.com',
    metadata: { service: 'generativelanguage.googleapis.com' },
  },
  { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: invalidKeyMessage },
]);
const missingKey = errorResponse(
  403,
  'PERMISSION_DENIED',
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
);

function usageMetadata(usage: ScriptedUsage) {
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: usage.outputTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.inputTokens }],
  };
}

function candidate(model: string, parts: unknown[], usage: ScriptedUsage) {
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usageMetadata(usage),
    modelVersion: model,
    responseId: randomId(''),
  };
}

export const geminiProtocol: WireProtocol = {
  basePath: '',
  // The API serves both versions; @google/genai 3.x calls v1 unless told otherwise.
  modelOf: (method, path) => (method === 'POST' ? /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/.exec(path)?.[1] : undefined),
  rejectKey(request, apiKey) {
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key');
    if (key === apiKey) return undefined;
    return key ? invalidKey : missingKey;
  },
  error(reply) {
    // Google says how long to wait in a RetryInfo detail, not in a header.
    const retryInfo =
      reply.retryAfterSeconds === undefined
        ? undefined
        : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${reply.retryAfterSeconds}s` }];
    return errorResponse(reply.status, reply.type, reply.message ?? `scripted ${reply.status}`, retryInfo);
  },
  success(reply, model, requestBody) {
    const name = () => String(field(requestBody, 'toolConfig', 'functionCallingConfig', 'allowedFunctionNames', 0));
    switch (reply.kind) {
      case 'tool':
        return candidate(model, [{ functionCall: { name: reply.toolName ?? name(), args: reply.input } }], reply.usage ?? defaultUsage);
      case 'text':
        return candidate(model, [{ text: reply.text }], defaultUsage);
      case 'refusal':
        return {
          promptFeedback: { blockReason: 'SAFETY' },
          usageMetadata: usageMetadata({ inputTokens: defaultUsage.inputTokens, outputTokens: 0 }),
          modelVersion: model,
        };
      case 'raw-arguments':
        return undefined;
    }
  },
  responseHeaders: () => ({ 'content-type': 'application/json; charset=UTF-8' }),
};

export function startGeminiServer(options: ScriptedServerOptions): Promise<ScriptedLlmServer> {
  return startScriptedServer(geminiProtocol, options);
}
