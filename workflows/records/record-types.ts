// The kinds of record a maintenance team keeps and how they nest. It is configuration: a team may rename labels,
// add its own types or decide which ones must name a subject (a machine), without touching the review flow.
import { z } from 'zod';

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

const recordTypeSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  label: z.string().trim().min(1).max(80),
  childTypes: z.array(z.string()),
  childOnly: z.boolean(),
  requiresSubject: z.boolean(),
});

/**
 * Checks a team's configuration once, where it is loaded, so that suggestion checks and the review can trust
 * every name they meet: names are unique, children exist, and a child-only type is reachable under some parent.
 */
export const recordTypesSchema = z
  .array(recordTypeSchema)
  .min(1)
  .superRefine((types, context) => {
    const names = new Set<string>();
    for (const type of types) {
      if (names.has(type.name)) context.addIssue({ code: 'custom', message: `duplicate record type ${type.name}` });
      names.add(type.name);
    }
    for (const type of types) {
      for (const child of type.childTypes.filter((childType) => !names.has(childType))) {
        context.addIssue({ code: 'custom', message: `${type.name} lists unknown child type ${child}` });
      }
      if (type.childOnly && !types.some((parent) => parent.childTypes.includes(type.name))) {
        context.addIssue({ code: 'custom', message: `${type.name} is child-only but no type accepts it as a child` });
      }
    }
  });

export function findRecordType(recordTypes: readonly RecordTypeConfig[], name: string): RecordTypeConfig | undefined {
  return recordTypes.find((type) => type.name === name);
}
