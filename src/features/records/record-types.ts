// A team's record types as configuration, checked where they are loaded (the settings API, the settings store).
// Workflows see only the checked RecordTypeConfig (workflows/records/record-types.ts), never zod.
import { z } from 'zod';
import type { RecordTypeConfig } from '../../../workflows/records/record-types.js';

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
  }) satisfies z.ZodType<RecordTypeConfig[]>;
