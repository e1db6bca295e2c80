// The LLM's suggestions: the tool it is forced to call, and which of its answers a member gets to review.
import type { ToolCallRequest } from '../../../src/llm/types.js';
import { defaultRecordTypes } from '../../../workflows/records/record-types.js';
import {
  SUGGEST_RECORDS_TOOL,
  suggestRecordsInputSchema,
  suggestRecordsTool,
  validateSuggestions,
  type SuggestionRules,
} from '../../../activities/records/suggestions.js';
import { MAX_DESCRIPTION_LENGTH } from '../../../workflows/records/suggestions.js';

const rules: SuggestionRules = {
  recordTypes: defaultRecordTypes,
  subjects: [
    { id: 'm3', name: 'Pinball 3' },
    { id: 'm4', name: 'Pinball 4' },
  ],
  contextMessageIds: ['1001', '1002', '1003'],
};

const problem = {
  record_type: 'problem_report',
  description: 'Flipper coil on machine 3 is dead',
  source_message_ids: ['1001'],
  author_id: 'u-ana',
  subject_id: 'm3',
};
const fix = {
  record_type: 'log_entry',
  description: 'Replaced the flipper coil',
  source_message_ids: ['1003'],
  author_id: 'u-ben',
};

describe('the tool', () => {
  const tool = suggestRecordsTool(defaultRecordTypes);
  const suggestion = tool.inputSchema.properties.suggestions.items;

  test('is a forced-call tool the LLM layer accepts, with an object schema', () => {
    const requestTool: ToolCallRequest['tool'] = tool;
    expect(requestTool.name).toBe(SUGGEST_RECORDS_TOOL);
    expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['suggestions'] });
    expect(suggestion.required).toEqual(['record_type', 'description', 'source_message_ids', 'author_id']);
    expect(suggestion.properties.source_message_ids).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(suggestion.properties.description.maxLength).toBe(MAX_DESCRIPTION_LENGTH);
  });

  test('offers standalone types at the top level and child types under a parent, without grandchildren', () => {
    expect(suggestion.properties.record_type.enum).toEqual(['log_entry', 'problem_report', 'part_request']);
    const child = suggestion.properties.children.items;
    expect(child.properties.record_type.enum).toEqual(['log_entry', 'part_request_update']);
    expect(child.properties).not.toHaveProperty('children');
    expect(child.properties).toHaveProperty('subject_id');
  });

  test('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(tool))).toEqual(tool);
  });
});

test('the input schema accepts a well-formed answer, with null for an absent subject', () => {
  const answer = { suggestions: [{ ...problem, children: [{ ...fix, subject_id: null }] }] };
  const parsed = suggestRecordsInputSchema.parse(answer);
  expect(parsed.suggestions[0]?.children?.[0]?.subject_id).toBeUndefined();
  const notAList = { suggestions: [{ ...problem, source_message_ids: '1001' }] };
  expect(suggestRecordsInputSchema.safeParse(notAList).success).toBe(false);
});

test('valid suggestions are accepted in the domain words, children under their parent', () => {
  const result = validateSuggestions({ suggestions: [{ ...problem, children: [fix] }] }, rules);
  expect(result.dropped).toEqual([]);
  expect(result.accepted).toEqual([
    {
      recordType: 'problem_report',
      description: 'Flipper coil on machine 3 is dead',
      sourceMessageIds: ['1001'],
      authorId: 'u-ana',
      subjectId: 'm3',
      children: [
        // The child names no subject and takes its parent's.
        {
          recordType: 'log_entry',
          description: 'Replaced the flipper coil',
          sourceMessageIds: ['1003'],
          authorId: 'u-ben',
          subjectId: 'm3',
        },
      ],
    },
  ]);
});

test('an answer with no suggestions is valid and empty', () => {
  expect(validateSuggestions({ suggestions: [] }, rules)).toEqual({ accepted: [], dropped: [] });
});

describe('malformed LLM output never throws', () => {
  test.each([null, undefined, 'suggestions', 42, [], { records: [] }, { suggestions: 'none' }])(
    'a tool input of %p drops everything with a reason',
    (raw) => {
      const result = validateSuggestions(raw, rules);
      expect(result.accepted).toEqual([]);
      expect(result.dropped).toHaveLength(1);
      expect(result.dropped[0]?.index).toBeUndefined();
      expect(result.dropped[0]?.reason).toMatch(/^tool input is not/);
    },
  );

  test('a malformed item is dropped alone; its neighbours survive', () => {
    const result = validateSuggestions(
      { suggestions: [null, { ...problem, source_message_ids: [1001] }, { ...problem, author_id: undefined }, fix] },
      rules,
    );
    expect(result.accepted.map((suggestion) => suggestion.recordType)).toEqual(['log_entry']);
    expect(result.dropped.map((drop) => drop.index)).toEqual([0, 1, 2]);
    expect(result.dropped[1]?.reason).toMatch(/^malformed suggestion: source_message_ids\.0/);
  });

  test('a malformed child is dropped alone and named by its position', () => {
    const result = validateSuggestions({ suggestions: [{ ...problem, children: ['fixed', fix] }] }, rules);
    expect(result.accepted[0]?.children).toHaveLength(1);
    expect(result.dropped).toEqual([{ index: 0, childIndex: 0, reason: expect.stringMatching(/^malformed child/) }]);
  });
});

describe('dropped suggestions', () => {
  const dropReason = (suggestion: object) => {
    const result = validateSuggestions({ suggestions: [suggestion] }, rules);
    expect(result.accepted).toEqual([]);
    return result.dropped[0]?.reason;
  };

  test.each([
    ['an unknown type', { ...problem, record_type: 'shopping_list' }, 'unknown record type shopping_list'],
    ['no sources', { ...problem, source_message_ids: [] }, 'no source messages'],
    [
      'sources outside the context',
      { ...problem, source_message_ids: ['1001', '999'] },
      'source messages not in the conversation: 999',
    ],
    ['an empty description', { ...problem, description: '  \n ' }, 'empty description'],
    ['a missing required subject', { ...problem, subject_id: undefined }, 'problem_report needs a subject'],
    ['a null required subject', { ...problem, subject_id: null }, 'problem_report needs a subject'],
    ['an unknown subject', { ...problem, subject_id: 'm99' }, 'unknown subject m99'],
    ['an unknown subject on a type that needs none', { ...fix, subject_id: 'm99' }, 'unknown subject m99'],
    [
      'a child-only type at the top level',
      { ...fix, record_type: 'part_request_update' },
      'part_request_update only exists under a parent record',
    ],
  ])('%s', (_, suggestion, reason) => {
    expect(dropReason(suggestion)).toBe(reason);
  });

  test('a child type the parent does not take is dropped, the parent stays', () => {
    const update = { ...fix, record_type: 'part_request_update' };
    const result = validateSuggestions({ suggestions: [{ ...problem, children: [fix, update] }] }, rules);
    expect(result.accepted[0]?.children.map((child) => child.recordType)).toEqual(['log_entry']);
    expect(result.dropped).toEqual([
      { index: 0, childIndex: 1, reason: 'part_request_update cannot be recorded under problem_report' },
    ]);
  });

  test('a dropped parent takes its children with it', () => {
    const result = validateSuggestions({ suggestions: [{ ...problem, subject_id: 'm99', children: [fix] }] }, rules);
    expect(result).toEqual({ accepted: [], dropped: [{ index: 0, reason: 'unknown subject m99' }] });
  });

  test('a child may name its own subject instead of the parent one', () => {
    const answer = { suggestions: [{ ...problem, children: [{ ...fix, subject_id: 'm4' }] }] };
    const result = validateSuggestions(answer, rules);
    expect(result.accepted[0]?.children[0]?.subjectId).toBe('m4');
  });
});

describe('descriptions', () => {
  test('are trimmed and repeated sources are kept once', () => {
    const result = validateSuggestions(
      { suggestions: [{ ...fix, description: '  fixed it \n', source_message_ids: ['1003', '1003', '1002'] }] },
      rules,
    );
    expect(result.accepted[0]).toMatchObject({ description: 'fixed it', sourceMessageIds: ['1003', '1002'] });
  });

  test('over 1,000 characters are truncated with an ellipsis, not dropped', () => {
    const result = validateSuggestions({ suggestions: [{ ...fix, description: 'a'.repeat(1_500) }] }, rules);
    const description = result.accepted[0]?.description ?? '';
    expect([...description]).toHaveLength(MAX_DESCRIPTION_LENGTH);
    expect(description.endsWith('a…')).toBe(true);
    expect(result.dropped).toEqual([]);
  });

  test('exactly 1,000 characters are kept whole, and truncation never splits an emoji', () => {
    const kept = (description: string) =>
      validateSuggestions({ suggestions: [{ ...fix, description }] }, rules).accepted[0]?.description;
    const exact = 'b'.repeat(MAX_DESCRIPTION_LENGTH);
    expect(kept(exact)).toBe(exact);
    expect(kept('🔧'.repeat(1_200))).toBe(`${'🔧'.repeat(MAX_DESCRIPTION_LENGTH - 1)}…`);
  });
});
