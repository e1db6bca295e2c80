// The eval scorer on hand-made cases: matching by type and level, the refinements, and the summary.
import type { ChildSuggestion, Suggestion } from '../../workflows/records/suggestions.js';
import { scoreConversation, summariseScores, type ExpectedRecord } from '../../eval/score.js';

function suggestion(recordType: string, fields: Partial<Suggestion> = {}): Suggestion {
  return { recordType, description: recordType, sourceMessageIds: ['1'], authorId: 'ana', children: [], ...fields };
}

function child(recordType: string, fields: Partial<ChildSuggestion> = {}): ChildSuggestion {
  return { recordType, description: recordType, sourceMessageIds: ['2'], authorId: 'ben', ...fields };
}

const resolved: ExpectedRecord = {
  type: 'problem_report',
  subject: 'm3',
  sources: ['1'],
  author: 'ana',
  children: [{ type: 'log_entry', sources: ['2'], author: 'ben' }],
};
const fixedProblem = suggestion('problem_report', {
  subjectId: 'm3',
  children: [child('log_entry', { subjectId: 'm3' })],
});

test('a perfect answer scores 100, and so does nothing for a conversation that holds nothing', () => {
  const score = scoreConversation([fixedProblem], [resolved]);
  expect(score.score).toBe(100);
  expect(score.byType).toEqual({
    problem_report: { truePositives: 1, falsePositives: 0, falseNegatives: 0 },
    log_entry: { truePositives: 1, falsePositives: 0, falseNegatives: 0 },
  });
  expect(score.sources).toEqual({ hits: 2, total: 2 });
  expect(scoreConversation([], []).score).toBe(100);
});

test('anything suggested for chatter scores 0; nothing suggested for a real record scores 0', () => {
  expect(scoreConversation([suggestion('log_entry')], []).score).toBe(0);
  expect(scoreConversation([], [resolved]).score).toBe(0);
  expect(scoreConversation([], [resolved]).byType.log_entry).toEqual({
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 1,
  });
});

test('a wrong subject, a missing source or a wrong author costs its share of a found record', () => {
  const expected: ExpectedRecord[] = [{ type: 'log_entry', subject: 'm3', sources: ['1', '2'], author: 'ana' }];
  const exact = suggestion('log_entry', { subjectId: 'm3', sourceMessageIds: ['2', '1', '9'] });
  expect(scoreConversation([exact], expected).score).toBe(100);
  expect(scoreConversation([{ ...exact, subjectId: 'm4' }], expected).score).toBeCloseTo(85);
  expect(scoreConversation([{ ...exact, subjectId: undefined }], expected).subjects).toEqual({ hits: 0, total: 1 });
  expect(scoreConversation([{ ...exact, sourceMessageIds: ['1'] }], expected).score).toBeCloseTo(92.5);
  expect(scoreConversation([{ ...exact, authorId: 'ben' }], expected).score).toBeCloseTo(90);
});

test('a subject of null means the record must name none; an absent one is not checked', () => {
  const none: ExpectedRecord[] = [{ type: 'log_entry', subject: null, sources: ['1'] }];
  expect(scoreConversation([suggestion('log_entry')], none).subjects).toEqual({ hits: 1, total: 1 });
  const named = suggestion('log_entry', { subjectId: 'm3' });
  expect(scoreConversation([named], none).subjects).toEqual({ hits: 0, total: 1 });
  const unchecked: ExpectedRecord[] = [{ type: 'log_entry', sources: ['1'] }];
  expect(scoreConversation([named], unchecked).subjects.total).toBe(0);
});

test('a fix suggested beside its problem instead of under it is one record found, one extra and one missed', () => {
  const flat = [
    suggestion('problem_report', { subjectId: 'm3' }),
    suggestion('log_entry', { sourceMessageIds: ['2'], authorId: 'ben' }),
  ];
  const score = scoreConversation(flat, [resolved]);
  expect(score.byType.log_entry).toEqual({ truePositives: 0, falsePositives: 1, falseNegatives: 1 });
  expect(score.score).toBe(50);
});

test('the children of an extra suggestion are extra too', () => {
  const score = scoreConversation([fixedProblem], []);
  expect(score.byType.problem_report?.falsePositives).toBe(1);
  expect(score.byType.log_entry?.falsePositives).toBe(1);
});

test('each expectation takes the suggestion that fits it best, whatever the order', () => {
  const expected: ExpectedRecord[] = [
    { type: 'log_entry', subject: 'a', sources: ['1'] },
    { type: 'log_entry', subject: 'b', sources: ['1'] },
    { type: 'log_entry', subject: 'c', sources: ['1'] },
  ];
  const actual = ['c', 'a', 'b'].map((subjectId) => suggestion('log_entry', { subjectId }));
  expect(scoreConversation(actual, expected)).toMatchObject({ score: 100, subjects: { hits: 3, total: 3 } });
});

test('the summary pools counts per type and averages conversations equally', () => {
  const perfect = scoreConversation([fixedProblem], [resolved]);
  const chatter = scoreConversation([suggestion('log_entry')], []);
  const summary = summariseScores([perfect, chatter]);
  expect(summary.score).toBe(50);
  expect(summary.byType.problem_report).toMatchObject({ precision: 1, recall: 1 });
  expect(summary.byType.log_entry).toMatchObject({ truePositives: 1, falsePositives: 1, precision: 0.5, recall: 1 });
  const missed = summariseScores([scoreConversation([], [{ type: 'part_request', sources: ['1'] }])]);
  expect(missed.byType.part_request).toMatchObject({ precision: null, recall: 0 });
  expect(summariseScores([]).score).toBe(0);
});
