// Presents an eval run: a table per conversation and per record type on the console, and the full results as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConversationResult } from './evaluate.js';
import type { EvalProvider } from './provider.js';
import type { ScoreSummary } from './score.js';

export function printReport(provider: EvalProvider, results: readonly ConversationResult[], summary: ScoreSummary) {
  console.table(
    results.map((result) => {
      const counts = Object.values(result.score.byType);
      const total = (key: 'truePositives' | 'falsePositives' | 'falseNegatives') =>
        counts.reduce((sum, count) => sum + count[key], 0);
      return {
        conversation: result.name,
        score: round(result.score.score),
        found: total('truePositives'),
        extra: total('falsePositives'),
        missed: total('falseNegatives'),
        dropped: result.dropped.length,
        error: result.error ?? '',
      };
    }),
  );
  console.table(
    Object.entries(summary.byType).map(([type, counts]) => ({
      type,
      precision: counts.precision === null ? '-' : round(counts.precision, 2),
      recall: counts.recall === null ? '-' : round(counts.recall, 2),
      found: counts.truePositives,
      extra: counts.falsePositives,
      missed: counts.falseNegatives,
    })),
  );
  const cost = results.reduce((sum, result) => sum + result.costUsd, 0);
  console.log(
    `Subjects ${percent(summary.subjectAccuracy)}, sources ${percent(summary.sourceCoverage)}, authors ` +
      `${percent(summary.authorAccuracy)}, cost $${cost.toFixed(4)}.`,
  );
  console.log(`Score (${provider.name}, ${provider.model}): ${round(summary.score)} / 100`);
}

/** Writes eval/results/<provider>-<date>.json and returns its path; a second run the same day replaces it. */
export function writeResults(
  provider: EvalProvider,
  results: readonly ConversationResult[],
  summary: ScoreSummary,
  ranAt: Date,
): string {
  const folder = fileURLToPath(new URL('../../eval/results/', import.meta.url));
  mkdirSync(folder, { recursive: true });
  const path = `${folder}${provider.name}-${ranAt.toISOString().slice(0, 10)}.json`;
  const body = { provider: provider.name, model: provider.model, ranAt: ranAt.toISOString(), summary, results };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
