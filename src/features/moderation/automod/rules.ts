// A server's automatic moderation rules as the moderation API and /automod accept them: every field bounded, every
// pattern compiling. The workflows and the pre-filter see only the checked AutomodRules, which say what each means.
import { z } from 'zod';
import type { AutomodRules } from '../../../../workflows/moderation/automod.js';

export const automodRulesSchema = z.strictObject({
  enabled: z.boolean().default(false),
  words: z.array(z.string().min(1).max(100)).max(500).default([]),
  patterns: z.array(z.string().min(1).max(200)).max(50).default([]),
  blockInvites: z.boolean().default(true),
  maxMentions: z.number().int().min(2).max(100).default(5),
  repeatLimit: z.number().int().min(2).max(20).default(3),
  serverRules: z.string().max(4_000).default(''),
}) satisfies z.ZodType<AutomodRules>;

/** Whether a server's pattern compiles as the pre-filter compiles it (case-insensitive, Unicode). */
export function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu');
    return true;
  } catch {
    return false;
  }
}

export const DEFAULT_AUTOMOD_RULES: AutomodRules = automodRulesSchema.parse({});
