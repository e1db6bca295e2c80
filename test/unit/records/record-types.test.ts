// Record types: the default configuration and the consistency check a team's own configuration goes through.
import { recordTypesSchema } from '../../../src/features/records/record-types.js';
import { defaultRecordTypes, findRecordType } from '../../../workflows/records/record-types.js';

test('the default types: log entries, problem reports with log entries, part requests with their updates', () => {
  const shapes = defaultRecordTypes.map((type) => [type.name, type.childTypes, type.childOnly, type.requiresSubject]);
  expect(shapes).toEqual([
    ['log_entry', [], false, false],
    ['problem_report', ['log_entry'], false, true],
    ['part_request', ['part_request_update'], false, true],
    ['part_request_update', [], true, false],
  ]);
  expect(findRecordType(defaultRecordTypes, 'part_request')?.label).toBe('Part request');
  expect(findRecordType(defaultRecordTypes, 'shopping_list')).toBeUndefined();
});

test('the default configuration passes its own check', () => {
  expect(recordTypesSchema.parse(defaultRecordTypes)).toEqual(defaultRecordTypes);
});

test('which types require a subject is configuration', () => {
  const lenient = defaultRecordTypes.map((type) => ({ ...type, requiresSubject: false }));
  expect(recordTypesSchema.safeParse(lenient).success).toBe(true);
});

test.each([
  ['a duplicate name', [...defaultRecordTypes, defaultRecordTypes[0]], 'duplicate record type log_entry'],
  [
    'an unknown child type',
    [{ name: 'problem_report', label: 'Problem', childTypes: ['photo'], childOnly: false, requiresSubject: true }],
    'problem_report lists unknown child type photo',
  ],
  [
    'a child-only type no parent accepts',
    defaultRecordTypes.filter((type) => type.name !== 'part_request'),
    'part_request_update is child-only but no type accepts it as a child',
  ],
])('a configuration with %s is refused', (_, types, message) => {
  const result = recordTypesSchema.safeParse(types);
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
});

test('an empty configuration or a blank label is refused', () => {
  expect(recordTypesSchema.safeParse([]).success).toBe(false);
  expect(recordTypesSchema.safeParse([{ ...defaultRecordTypes[0], label: ' ' }]).success).toBe(false);
});
