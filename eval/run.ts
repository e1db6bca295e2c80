// `npm run eval:prompts`: scores the record-suggestion prompt on every eval conversation with the provider the
// environment configures (the offline rules without a key), prints the tables and writes eval/results/.
import { conversations } from './conversations/index.js';
import { evaluate } from './evaluate.js';
import { providerFromEnv } from './provider.js';
import { printReport, writeResults } from './report.js';
import { summariseScores } from './score.js';

const provider = providerFromEnv(process.env);
if (provider.name === 'offline') {
  console.log('No API key set (ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY): scoring the offline rules.');
}
console.log(`Evaluating ${conversations.length} conversations with ${provider.name} (${provider.model})...`);
const ranAt = new Date();
const results = await evaluate(conversations, provider);
const summary = summariseScores(results.map((result) => result.score));
printReport(provider, results, summary);
console.log(`Wrote ${writeResults(provider, results, summary, ranAt)}`);
