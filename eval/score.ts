// Scores validated suggestions against a conversation's expected records: per-type precision and recall, subject,
// source and author accuracy, and one 0–100 figure. Pure, so a result can be recomputed from the saved JSON.
import type { ChildSuggestion, Suggestion } from '../workflows/records/suggestions.js';

export interface ExpectedRecord {
  type: string;
  /** The subject the record must name; null: it must name none; absent: not checked (e.g. a child inheriting it). */
  subject?: string | null;
  /** Message ids the record must cite; citing more is fine. */
  sources: string[];
  /** Discord user id the record must be attributed to; absent: not checked. */
  author?: string;
  children?: ExpectedRecord[];
}

export interface TypeCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface Ratio {
  hits: number;
  total: number;
}

export interface ConversationScore {
  byType: Record<string, TypeCounts>;
  /** Over matched records whose expectation names a subject (or none). */
  subjects: Ratio;
  /** Required source ids cited, over matched records. */
  sources: Ratio;
  authors: Ratio;
  /** 0–100: see totalScore. */
  score: number;
}

export interface TypeSummary extends TypeCounts {
  /** Null when nothing of the type was suggested. */
  precision: number | null;
  /** Null when nothing of the type was expected. */
  recall: number | null;
}

export interface ScoreSummary {
  byType: Record<string, TypeSummary>;
  subjectAccuracy: number;
  sourceCoverage: number;
  authorAccuracy: number;
  /** Mean of the conversations' scores: every conversation weighs the same, however many records it holds. */
  score: number;
}

// Finding the right records matters most; subjects, sources and authors refine a record that was found.
const WEIGHTS = { records: 0.6, subjects: 0.15, sources: 0.15, authors: 0.1 };

type Actual = ChildSuggestion & { children?: ChildSuggestion[] };
type Tally = Omit<ConversationScore, 'score'>;

/**
 * Matches expected and suggested records of the same type, level by level: top-level records with each other, then
 * the children of each matched pair. Each expectation in turn takes the unmatched suggestion that fits it best
 * (subject, sources, author), earliest on a tie; greedy, but deterministic and good enough for a handful of records.
 * An unmatched suggestion is a false positive, children included; an unmatched expectation a false negative.
 */
export function scoreConversation(
  actual: readonly Suggestion[],
  expected: readonly ExpectedRecord[],
): ConversationScore {
  const tally: Tally = {
    byType: {},
    subjects: { hits: 0, total: 0 },
    sources: { hits: 0, total: 0 },
    authors: { hits: 0, total: 0 },
  };
  matchLevel(actual, expected, tally);
  return { ...tally, score: totalScore(tally) };
}

/** 100 × record F1 × (0.6 + 0.15 subjects + 0.15 sources + 0.1 authors): nothing found, nothing earned. */
function totalScore(tally: Tally): number {
  const counts = Object.values(tally.byType);
  const tp = sum(counts.map((count) => count.truePositives));
  const errors = sum(counts.map((count) => count.falsePositives + count.falseNegatives));
  const f1 = tp + errors === 0 ? 1 : (2 * tp) / (2 * tp + errors);
  const refinement =
    WEIGHTS.records +
    WEIGHTS.subjects * ratio(tally.subjects) +
    WEIGHTS.sources * ratio(tally.sources) +
    WEIGHTS.authors * ratio(tally.authors);
  return 100 * f1 * refinement;
}

export function summariseScores(scores: readonly ConversationScore[]): ScoreSummary {
  const byType: Record<string, TypeSummary> = {};
  for (const [type, counts] of scores.flatMap((score) => Object.entries(score.byType))) {
    const total = (byType[type] ??= { ...noCounts(), precision: null, recall: null });
    total.truePositives += counts.truePositives;
    total.falsePositives += counts.falsePositives;
    total.falseNegatives += counts.falseNegatives;
  }
  for (const total of Object.values(byType)) {
    const suggested = total.truePositives + total.falsePositives;
    const expected = total.truePositives + total.falseNegatives;
    total.precision = suggested === 0 ? null : total.truePositives / suggested;
    total.recall = expected === 0 ? null : total.truePositives / expected;
  }
  const pooled = (pick: (score: ConversationScore) => Ratio) =>
    ratio({ hits: sum(scores.map((score) => pick(score).hits)), total: sum(scores.map((score) => pick(score).total)) });
  return {
    byType,
    subjectAccuracy: pooled((score) => score.subjects),
    sourceCoverage: pooled((score) => score.sources),
    authorAccuracy: pooled((score) => score.authors),
    score: scores.length === 0 ? 0 : sum(scores.map((score) => score.score)) / scores.length,
  };
}

function matchLevel(actual: readonly Actual[], expected: readonly ExpectedRecord[], tally: Tally) {
  const unmatched = [...actual];
  for (const want of expected) {
    const candidates = unmatched.filter((record) => record.recordType === want.type);
    const best = candidates.reduce<Actual | undefined>(
      (chosen, record) => (chosen === undefined || fit(record, want) > fit(chosen, want) ? record : chosen),
      undefined,
    );
    if (!best) {
      countMissed(want, tally);
      continue;
    }
    unmatched.splice(unmatched.indexOf(best), 1);
    counts(tally, want.type).truePositives += 1;
    const checks = compare(best, want);
    for (const key of ['subjects', 'sources', 'authors'] as const) {
      tally[key].hits += checks[key].hits;
      tally[key].total += checks[key].total;
    }
    matchLevel(best.children ?? [], want.children ?? [], tally);
  }
  for (const extra of unmatched) countExtra(extra, tally);
}

function compare(record: Actual, want: ExpectedRecord): { subjects: Ratio; sources: Ratio; authors: Ratio } {
  const check = (expected: unknown, actual: unknown): Ratio =>
    expected === undefined ? { hits: 0, total: 0 } : { hits: expected === actual ? 1 : 0, total: 1 };
  return {
    subjects: check(want.subject, record.subjectId ?? null),
    sources: {
      hits: want.sources.filter((id) => record.sourceMessageIds.includes(id)).length,
      total: want.sources.length,
    },
    authors: check(want.author, record.authorId),
  };
}

function fit(record: Actual, want: ExpectedRecord): number {
  const checks = compare(record, want);
  return ratio(checks.subjects) + ratio(checks.sources) + ratio(checks.authors);
}

function countMissed(want: ExpectedRecord, tally: Tally) {
  counts(tally, want.type).falseNegatives += 1;
  for (const child of want.children ?? []) countMissed(child, tally);
}

function countExtra(record: Actual, tally: Tally) {
  counts(tally, record.recordType).falsePositives += 1;
  for (const child of record.children ?? []) countExtra(child, tally);
}

function counts(tally: Tally, type: string): TypeCounts {
  return (tally.byType[type] ??= noCounts());
}

function noCounts(): TypeCounts {
  return { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
}

/** A ratio with nothing to check is perfect: there was nothing to get wrong. */
function ratio({ hits, total }: Ratio): number {
  return total === 0 ? 1 : hits / total;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
