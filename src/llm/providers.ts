// The ordered provider chain built from configuration, and one attempt on one named provider of it.
import { createAnthropicProvider } from './anthropic.js';
import { LlmError } from './errors.js';
import { createGeminiProvider } from './gemini.js';
import { createOfflineProvider, type OfflineRules } from './offline.js';
import { createOpenAiProvider } from './openai.js';
import type {
  CallOptions,
  LlmProvider,
  ProviderName,
  ProviderSettings,
  ToolCallRequest,
  ToolCallResult,
} from './types.js';

export type KeyedProviderName = Exclude<ProviderName, 'offline'>;

export interface ProviderConfig {
  /** Empty means not configured, so an unset environment variable can be passed straight through. */
  apiKey?: string;
  model?: string;
  baseUrl?: string;
  timeoutMs?: number;
}

export interface LlmConfig {
  anthropic?: ProviderConfig;
  openai?: ProviderConfig;
  gemini?: ProviderConfig;
  /**
   * Which providers the workflow tries, first to last. Providers without a key are skipped; listing `offline`
   * appends the offline provider as a last resort. Defaults to Anthropic, OpenAI, Gemini.
   */
  order?: ProviderName[];
  /** What the offline provider answers, by tool name. */
  offlineRules?: OfflineRules;
}

export const defaultModels: Record<KeyedProviderName, string> = {
  anthropic: 'claude-sonnet-4-6',
  openai: 'gpt-4.1-mini',
  gemini: 'gemini-2.5-flash',
};

export const defaultOrder: ProviderName[] = ['anthropic', 'openai', 'gemini'];
export const defaultTimeoutMs = 60_000;

const factories: Record<KeyedProviderName, (settings: ProviderSettings) => LlmProvider> = {
  anthropic: createAnthropicProvider,
  openai: createOpenAiProvider,
  gemini: createGeminiProvider,
};

export interface ProviderChain {
  readonly providers: readonly LlmProvider[];
}

/** With no key at all the chain is the offline provider alone, so AI features degrade instead of failing. */
export function buildProviderChain(config: LlmConfig): ProviderChain {
  const order = [...new Set(config.order ?? defaultOrder)];
  const providers = order.flatMap((name): LlmProvider[] => {
    if (name === 'offline') return [createOfflineProvider(config.offlineRules)];
    const provider = config[name];
    if (!provider?.apiKey) return [];
    return [
      factories[name]({
        apiKey: provider.apiKey,
        model: provider.model || defaultModels[name],
        baseUrl: provider.baseUrl || undefined,
        timeoutMs: provider.timeoutMs ?? defaultTimeoutMs,
      }),
    ];
  });
  const keyed = providers.some((provider) => provider.name !== 'offline');
  return { providers: keyed ? providers : [createOfflineProvider(config.offlineRules)] };
}

/** The providers to try, in order; the workflow runs one activity per name. */
export function availableProviders(chain: ProviderChain): ProviderName[] {
  return chain.providers.map((provider) => provider.name);
}

/** One attempt on one provider. Failures are LlmErrors: give them to toActivityFailure in the activity. */
export function callProvider(
  chain: ProviderChain,
  name: ProviderName,
  request: ToolCallRequest,
  options?: CallOptions,
): Promise<ToolCallResult> {
  const provider = chain.providers.find((candidate) => candidate.name === name);
  if (!provider) {
    // The worker's configuration changed since the workflow listed the chain: move on to the next provider.
    const message = `${name} is not configured on this worker (available: ${availableProviders(chain).join(', ')})`;
    return Promise.reject(new LlmError('invalid_request', name, message));
  }
  return provider.callTool(request, options);
}
