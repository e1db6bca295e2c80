// Building the provider chain from configuration, the offline provider, schema validation of tool input and pricing.
import { z } from 'zod';
import {
  availableProviders,
  buildProviderChain,
  callProvider,
  defaultModels,
  estimateCostUsd,
  LlmError,
  MalformedOutputError,
  offlineModel,
  parseToolInput,
  priceOf,
  type ToolCallResult,
} from '../../src/llm/index.js';
import { suggestRecordsRequest as request } from './harness.js';

describe('buildProviderChain', () => {
  it('falls back to the offline provider alone when no key is configured', () => {
    expect(availableProviders(buildProviderChain({}))).toEqual(['offline']);
    // An unset environment variable arrives as an empty string.
    expect(availableProviders(buildProviderChain({ anthropic: { apiKey: '' }, openai: { apiKey: '' } }))).toEqual(['offline']);
  });

  it('tries Anthropic, then OpenAI, then Gemini by default, with their default models', () => {
    const chain = buildProviderChain({ gemini: { apiKey: 'g' }, openai: { apiKey: 'o' }, anthropic: { apiKey: 'a' } });
    expect(availableProviders(chain)).toEqual(['anthropic', 'openai', 'gemini']);
    expect(chain.providers.map((provider) => provider.model)).toEqual([defaultModels.anthropic, defaultModels.openai, defaultModels.gemini]);
  });

  it('respects the configured order, skips providers without a key and appends offline when listed', () => {
    const chain = buildProviderChain({
      anthropic: { apiKey: 'a', model: 'claude-haiku-4-5' },
      gemini: { apiKey: 'g' },
      order: ['gemini', 'openai', 'anthropic', 'offline'],
    });
    expect(availableProviders(chain)).toEqual(['gemini', 'anthropic', 'offline']);
    expect(chain.providers[1]?.model).toBe('claude-haiku-4-5');
  });

  it('refuses, as an invalid request, a provider this worker does not have', async () => {
    const chain = buildProviderChain({ openai: { apiKey: 'o' } });
    const error = await callProvider(chain, 'anthropic', request).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ kind: 'invalid_request', provider: 'anthropic', message: expect.stringContaining('available: openai') });
  });
});

describe('offline provider', () => {
  it('answers {} for free and says it is offline', async () => {
    const result = await callProvider(buildProviderChain({}), 'offline', request);
    expect(result).toEqual({ provider: 'offline', model: offlineModel, toolInput: {}, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 });
  });

  it('answers with what the caller-supplied rule derives from the request', async () => {
    const chain = buildProviderChain({
      offlineRules: {
        [request.tool.name]: (toolRequest) => ({
          records: toolRequest.messages.filter((message) => /friday/i.test(message.content)).map((message) => ({ title: message.content, kind: 'event' })),
        }),
      },
    });
    const result = await callProvider(chain, 'offline', request);
    expect(result.toolInput).toEqual({ records: [{ title: 'alice: the raid is moved to Friday 21:00', kind: 'event' }] });
  });
});

describe('parseToolInput', () => {
  const schema = z.object({ records: z.array(z.object({ title: z.string(), kind: z.enum(['event', 'note']) })) });
  const resultWith = (toolInput: unknown): ToolCallResult => ({
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    toolInput,
    usage: { inputTokens: 1, outputTokens: 1 },
    costUsd: 0,
  });

  it('returns the typed input when it matches the schema', () => {
    expect(parseToolInput(resultWith({ records: [{ title: 'Raid', kind: 'event' }] }), schema)).toEqual({ records: [{ title: 'Raid', kind: 'event' }] });
  });

  it('throws MalformedOutputError with the zod issues otherwise', () => {
    const error = (() => {
      try {
        parseToolInput(resultWith({ records: [{ title: 'Raid', kind: 'party' }] }), schema);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(MalformedOutputError);
    expect(error).toMatchObject({ kind: 'malformed_output', provider: 'gemini', issues: [{ path: 'records.0.kind' }] });
  });
});

describe('pricing', () => {
  it('prices dated snapshots like their family and prefers the most specific family', () => {
    expect(priceOf('claude-sonnet-4-5-20250929')).toEqual(priceOf('claude-sonnet-4-5'));
    expect(priceOf('gpt-4.1-mini-2025-04-14')).toEqual({ inputPerMillion: 0.4, outputPerMillion: 1.6 });
    expect(priceOf('gemini-2.5-flash-lite')).toEqual({ inputPerMillion: 0.1, outputPerMillion: 0.4 });
  });

  it('prices unknown models at the cautious default', () => {
    expect(estimateCostUsd('some-new-model', { inputTokens: 1_000_000, outputTokens: 1_000_000 })).toBe(18);
  });
});
