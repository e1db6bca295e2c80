// Automatic moderation's rules per server, and what the in-process pre-filter found in a message. The pre-filter
// only picks candidates; a candidate's verdict comes from the language model, or from these rules when none is
// configured.
import { z } from 'zod';

export const automodRulesSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Words or phrases, matched whole and case-insensitively. */
  words: z.array(z.string().min(1).max(100)).max(500).default([]),
  /** Regular expressions (JavaScript syntax, case-insensitive), checked to compile when saved. */
  patterns: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** Discord invite links to other servers. */
  blockInvites: z.boolean().default(true),
  /** Distinct members and roles mentioned in one message that make it a candidate. */
  maxMentions: z.number().int().min(2).max(100).default(5),
  /** The same text this many times in a row from one member (within a minute). */
  repeatLimit: z.number().int().min(2).max(20).default(3),
  /** The server's written rules, which the language model judges candidates against. */
  serverRules: z.string().max(4_000).default(''),
});
export type AutomodRules = z.output<typeof automodRulesSchema>;

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

/** Why the pre-filter picked a message. */
export type CandidateReason = 'word' | 'pattern' | 'invite' | 'mentions' | 'repeat';

export interface Candidate {
  reasons: CandidateReason[];
  /** What matched, for the evidence and the offline verdict. */
  matched: string[];
}

/** A candidate as the adapter hands it over. */
export interface FlaggedMessage {
  guildId: string;
  channelId: string;
  messageId: string;
  authorId: string;
  authorName: string;
  content: string;
  candidate: Candidate;
}

/** The verdict on a candidate: the action for its author (never anyone else) and why. */
export const automodVerdictSchema = z.strictObject({
  violation: z.boolean(),
  action: z.enum(['none', 'warn', 'timeout', 'kick', 'ban']),
  /** For a timeout. */
  durationMinutes: z.number().int().min(1).max(40_320).optional(),
  /** Which of the server's rules it breaks, and why, in a sentence. */
  explanation: z.string().max(500),
});
export type AutomodVerdict = z.output<typeof automodVerdictSchema>;

/**
 * Without a language model's answer, the pre-filter's own findings decide: an invite or a listed word is a warning,
 * mass mentions and repeated text a 10-minute timeout. The explanation says which rules matched and why they decided.
 */
export function offlineVerdict(candidate: Candidate, modelConfigured: boolean): AutomodVerdict {
  const harsh = candidate.reasons.includes('mentions') || candidate.reasons.includes('repeat');
  const why = modelConfigured ? 'no language model could be reached' : 'no language model is configured';
  return {
    violation: true,
    action: harsh ? 'timeout' : 'warn',
    ...(harsh ? { durationMinutes: 10 } : {}),
    explanation: `Matched the server's automatic rules (${candidate.reasons.join(', ')}); ${why}, so these rules decided.`,
  };
}
