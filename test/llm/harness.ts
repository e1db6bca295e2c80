// Shared fixtures for the LLM layer tests: one sample forced tool call and each provider wired to its local server.
import { randomBytes } from 'node:crypto';
import { buildProviderChain, type ProviderChain, type ProviderConfig, type ToolCallRequest } from '../../src/llm/index.js';
import type { KeyedProviderName } from '../../src/llm/providers.js';
import {
  startAnthropicServer,
  startGeminiServer,
  startOpenAiServer,
  type ScriptedLlmServer,
  type ScriptedServerOptions,
} from '../support/llm-servers/index.js';

export const suggestRecordsRequest: ToolCallRequest = {
  system: 'You read a Discord conversation and suggest records worth keeping.',
  messages: [
    { role: 'user', content: 'alice: the raid is moved to Friday 21:00' },
    { role: 'assistant', content: 'Noted.' },
    { role: 'user', content: 'bob: and I bring the flasks' },
  ],
  tool: {
    name: 'suggest_records',
    description: 'Suggest records extracted from the conversation.',
    inputSchema: {
      type: 'object',
      properties: {
        records: {
          type: 'array',
          items: { type: 'object', properties: { title: { type: 'string' }, kind: { type: 'string' } }, required: ['title', 'kind'] },
        },
      },
      required: ['records'],
    },
  },
  maxOutputTokens: 1024,
  temperature: 0.2,
};

export const sampleToolInput = { records: [{ title: 'Raid moved to Friday 21:00', kind: 'event' }] };

/** A distinctive key, so that tests can look for it in every error message. */
export function testApiKey(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString('hex')}`;
}

export const serverStarters: Record<KeyedProviderName, (options: ScriptedServerOptions) => Promise<ScriptedLlmServer>> = {
  anthropic: startAnthropicServer,
  openai: startOpenAiServer,
  gemini: startGeminiServer,
};

export const keyedProviders: KeyedProviderName[] = ['anthropic', 'openai', 'gemini'];

/** A chain holding only `name`, pointed at `baseUrl`, with a short timeout so that timeout tests stay fast. */
export function chainAgainst(name: KeyedProviderName, baseUrl: string, apiKey: string, overrides: ProviderConfig = {}): ProviderChain {
  return buildProviderChain({ [name]: { apiKey, baseUrl, timeoutMs: 2_000, ...overrides }, order: [name] });
}
