// The eval data set is consistent: every expectation could be suggested by a model and passes validation as is.
import { conversations } from '../../eval/conversations/index.js';
import { scoreConversation, type ExpectedRecord } from '../../eval/score.js';
import { defaultRecordTypes } from '../../workflows/records/record-types.js';
import { validateSuggestions } from '../../activities/records/suggestions.js';

test('there are at least 20 conversations, uniquely named', () => {
  expect(conversations.length).toBeGreaterThanOrEqual(20);
  expect(new Set(conversations.map((entry) => entry.name)).size).toBe(conversations.length);
});

test.each(conversations.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
  const ids = entry.messages.map((message) => message.id);
  // selectContext hands the target over last; the ids are unique and sort like time.
  expect(ids.at(-1)).toBe(entry.targetId);
  expect([...new Set(ids)].sort()).toEqual(ids);
  for (const message of entry.messages) {
    if (message.replyToId) expect(ids).toContain(message.replyToId);
  }
  if (entry.thread) expect(ids).toContain(entry.thread.starterId);

  // The expectations, written as a model would answer, are accepted whole and score full marks.
  const toInput = (record: ExpectedRecord): Record<string, unknown> => ({
    record_type: record.type,
    description: `${record.type} from ${record.sources.join(', ')}`,
    source_message_ids: record.sources,
    author_id: record.author,
    subject_id: record.subject,
    children: (record.children ?? []).map(toInput),
  });
  const check = validateSuggestions(
    { suggestions: entry.expected.map(toInput) },
    { recordTypes: defaultRecordTypes, subjects: entry.subjects, contextMessageIds: ids },
  );
  expect(check.dropped).toEqual([]);
  expect(scoreConversation(check.accepted, entry.expected).score).toBe(100);
});
