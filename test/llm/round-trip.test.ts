// A forced tool call through each real SDK against its provider's local wire-protocol server.
import { callProvider, estimateCostUsd } from '../../src/llm/index.js';
import type { ScriptedLlmServer } from '../support/llm-servers/index.js';
import { field } from '../support/llm-servers/scripted-server.js';
import { chainAgainst, sampleToolInput, serverStarters, suggestRecordsRequest as request, testApiKey } from './harness.js';

const usage = { inputTokens: 1500, outputTokens: 120 };

describe('Anthropic Messages API', () => {
  const apiKey = testApiKey('sk-ant');
  let server: ScriptedLlmServer;
  beforeAll(async () => (server = await serverStarters.anthropic({ apiKey })));
  afterAll(() => server.close());

  it('forces the tool and returns its input, usage and cost', async () => {
    server.script({ kind: 'tool', input: sampleToolInput, usage });
    const result = await callProvider(chainAgainst('anthropic', server.baseUrl, apiKey, { model: 'claude-sonnet-4-6' }), 'anthropic', request);

    expect(result).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      toolInput: sampleToolInput,
      usage,
      costUsd: (1500 * 3 + 120 * 15) / 1_000_000,
      stopReason: 'tool_use',
    });
    const sent = server.lastRequest;
    expect(sent.path).toBe('/v1/messages');
    // SDK 1.x sends the API key as a Bearer token.
    expect(sent.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(sent.headers['anthropic-version']).toBeDefined();
    expect(sent.headers['x-stainless-retry-count']).toBe('0');
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      temperature: 0.2,
      system: request.system,
      messages: request.messages,
      tools: [{ name: 'suggest_records', description: request.tool.description, input_schema: request.tool.inputSchema }],
      tool_choice: { type: 'tool', name: 'suggest_records' },
    });
  });
});

describe('OpenAI Chat Completions API', () => {
  const apiKey = testApiKey('sk-proj');
  let server: ScriptedLlmServer;
  beforeAll(async () => (server = await serverStarters.openai({ apiKey })));
  afterAll(() => server.close());

  it('forces the function and parses its JSON arguments', async () => {
    server.script({ kind: 'tool', input: sampleToolInput, usage });
    const result = await callProvider(chainAgainst('openai', server.baseUrl, apiKey), 'openai', request);

    expect(result).toEqual({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      toolInput: sampleToolInput,
      usage,
      costUsd: estimateCostUsd('gpt-4.1-mini', usage),
      stopReason: 'stop',
    });
    expect(result.costUsd).toBeCloseTo((1500 * 0.4 + 120 * 1.6) / 1_000_000, 12);
    const sent = server.lastRequest;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(sent.body).toEqual({
      model: 'gpt-4.1-mini',
      max_completion_tokens: 1024,
      temperature: 0.2,
      messages: [{ role: 'system', content: request.system }, ...request.messages],
      tools: [
        { type: 'function', function: { name: 'suggest_records', description: request.tool.description, parameters: request.tool.inputSchema } },
      ],
      tool_choice: { type: 'function', function: { name: 'suggest_records' } },
    });
  });
});

describe('Gemini generateContent API', () => {
  const apiKey = testApiKey('AIza');
  let server: ScriptedLlmServer;
  beforeAll(async () => (server = await serverStarters.gemini({ apiKey })));
  afterAll(() => server.close());

  it('allows only the one function in ANY mode and reads its args', async () => {
    server.script({ kind: 'tool', input: sampleToolInput, usage });
    const result = await callProvider(chainAgainst('gemini', server.baseUrl, apiKey), 'gemini', request);

    expect(result).toEqual({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      toolInput: sampleToolInput,
      usage,
      costUsd: estimateCostUsd('gemini-2.5-flash', usage),
      stopReason: 'STOP',
    });
    expect(result.costUsd).toBeCloseTo((1500 * 0.3 + 120 * 2.5) / 1_000_000, 12);
    const sent = server.lastRequest;
    expect(sent.path).toBe('/v1/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(apiKey);
    expect(field(sent.body, 'systemInstruction')).toEqual({ parts: [{ text: request.system }], role: 'user' });
    expect(field(sent.body, 'contents')).toEqual([
      { role: 'user', parts: [{ text: request.messages[0]?.content }] },
      { role: 'model', parts: [{ text: request.messages[1]?.content }] },
      { role: 'user', parts: [{ text: request.messages[2]?.content }] },
    ]);
    expect(field(sent.body, 'tools')).toEqual([
      { functionDeclarations: [{ name: 'suggest_records', description: request.tool.description, parametersJsonSchema: request.tool.inputSchema }] },
    ]);
    expect(field(sent.body, 'toolConfig')).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['suggest_records'] } });
    expect(field(sent.body, 'generationConfig')).toEqual({ maxOutputTokens: 1024, temperature: 0.2 });
  });
});
