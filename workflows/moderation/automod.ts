// Automatic moderation's rules per server, and what the in-process pre-filter found in a message. The pre-filter
// only picks candidates; a candidate's verdict comes from the language model, or from these rules when none is
// configured.
/** A server's automatic rules, checked where they are saved (src/features/moderation/automod/rules.ts). */
export interface AutomodRules {
  enabled: boolean;
  /** Words or phrases, matched whole and case-insensitively. */
  words: string[];
  /** Regular expressions (JavaScript syntax, case-insensitive), checked to compile when saved. */
  patterns: string[];
  /** Discord invite links to other servers. */
  blockInvites: boolean;
  /** Distinct members and roles mentioned in one message that make it a candidate. */
  maxMentions: number;
  /** The same text this many times in a row from one member (within a minute). */
  repeatLimit: number;
  /** The server's written rules, which the language model judges candidates against. */
  serverRules: string;
}

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
export interface AutomodVerdict {
  violation: boolean;
  action: 'none' | 'warn' | 'timeout' | 'kick' | 'ban';
  /** For a timeout. */
  durationMinutes?: number;
  /** Which of the server's rules it breaks, and why, in a sentence. */
  explanation: string;
}

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
