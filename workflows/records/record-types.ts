// The kinds of record a maintenance team keeps and how they nest. It is configuration: a team may rename labels,
// add its own types or decide which ones must name a subject (a machine), without touching the review flow.
export interface RecordTypeConfig {
  /** Stable identifier, used in the LLM tool and in stored records. */
  name: string;
  /** What members read on the review card. */
  label: string;
  /** Types that may be suggested under a record of this type (one level deep). */
  childTypes: string[];
  /** The type only makes sense under a parent, e.g. an update to a part request. */
  childOnly: boolean;
  requiresSubject: boolean;
}

export const defaultRecordTypes: readonly RecordTypeConfig[] = [
  { name: 'log_entry', label: 'Log entry', childTypes: [], childOnly: false, requiresSubject: false },
  {
    name: 'problem_report',
    label: 'Problem report',
    childTypes: ['log_entry'],
    childOnly: false,
    requiresSubject: true,
  },
  {
    name: 'part_request',
    label: 'Part request',
    childTypes: ['part_request_update'],
    childOnly: false,
    requiresSubject: true,
  },
  {
    name: 'part_request_update',
    label: 'Part request update',
    childTypes: [],
    childOnly: true,
    requiresSubject: false,
  },
];

export function findRecordType(recordTypes: readonly RecordTypeConfig[], name: string): RecordTypeConfig | undefined {
  return recordTypes.find((type) => type.name === name);
}
