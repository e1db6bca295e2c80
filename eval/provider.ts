// The provider the eval runs against, configured from the environment the way the bot is: a key per provider,
// optional base URLs and models, EVAL_PROVIDER to pick one, and the offline rules when no key is set.
import {
  buildProviderChain,
  defaultOrder,
  type ProviderChain,
  type ProviderConfig,
  type ProviderName,
} from '../src/llm/index.js';
import { suggestRecordsOffline } from '../activities/records/offline-suggester.js';
import { SUGGEST_RECORDS_TOOL } from '../activities/records/suggestions.js';

export interface EvalProvider {
  chain: ProviderChain;
  name: ProviderName;
  model: string;
}

const providerNames: readonly ProviderName[] = ['anthropic', 'openai', 'gemini', 'offline'];

export function providerFromEnv(env: NodeJS.ProcessEnv): EvalProvider {
  const wanted = env.EVAL_PROVIDER?.trim() || undefined;
  const order = wanted === undefined ? defaultOrder : [providerNamed(wanted)];
  const chain = buildProviderChain({
    anthropic: settings(env, 'ANTHROPIC'),
    openai: settings(env, 'OPENAI'),
    gemini: settings(env, 'GEMINI'),
    order,
    offlineRules: { [SUGGEST_RECORDS_TOOL]: suggestRecordsOffline },
  });
  const [provider] = chain.providers;
  // buildProviderChain falls back to offline when the chosen provider has no key; a silent fallback would make the
  // run look like a model's result.
  if (!provider || (wanted !== undefined && provider.name !== wanted)) {
    throw new Error(`EVAL_PROVIDER=${wanted} needs ${wanted?.toUpperCase()}_API_KEY`);
  }
  return { chain, name: provider.name, model: provider.model };
}

function providerNamed(name: string): ProviderName {
  const found = providerNames.find((candidate) => candidate === name);
  if (!found) throw new Error(`EVAL_PROVIDER must be one of ${providerNames.join(', ')}, not "${name}"`);
  return found;
}

function settings(env: NodeJS.ProcessEnv, prefix: string): ProviderConfig {
  return {
    apiKey: env[`${prefix}_API_KEY`],
    baseUrl: env[`${prefix}_BASE_URL`],
    model: env[`${prefix}_MODEL`],
  };
}
