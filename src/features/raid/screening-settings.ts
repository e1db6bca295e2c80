// The screening gate's settings: who gets which role, how old an account must be, the question (Discord shows at
// most 45 characters above a text box) and its answer, and how long a new member has to verify.
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');

export const screeningSchema = z
  .strictObject({
    enabled: z.boolean(),
    /** The role a member gets once verified. */
    memberRoleId: snowflake.nullable(),
    minAccountAgeDays: z.number().int().min(0).max(365),
    question: z.string().trim().min(1).max(45, 'Discord shows at most 45 characters above a text box').nullable(),
    answer: z.string().trim().min(1).max(100).nullable(),
    kickAfterMinutes: z.number().int().min(1, 'must be at least a minute').max(10_080, 'must be at most a week'),
  })
  .refine((screening) => !screening.enabled || screening.memberRoleId !== null, { message: 'needs the member role to give', path: ['memberRoleId'] })
  .refine((screening) => (screening.question === null) === (screening.answer === null), { message: 'a question needs its answer, and an answer its question', path: ['answer'] });
export type ScreeningSettings = z.output<typeof screeningSchema>;

export const DEFAULT_SCREENING: ScreeningSettings = { enabled: false, memberRoleId: null, minAccountAgeDays: 3, question: null, answer: null, kickAfterMinutes: 30 };

