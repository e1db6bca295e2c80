// The automatic moderation pre-filter: a few compiled regular expressions and counters per message, in the adapter
// process, with no I/O and no workflow for an ordinary message. It only picks candidates; their verdict comes later.
import type { AutomodRules, Candidate, CandidateReason } from '../../../../workflows/moderation/automod.js';

/** Invite links to any server: discord.gg/x, discord.com/invite/x, discordapp.com/invite/x. */
const INVITE = /(?:discord(?:app)?\.com\/invite|discord\.gg)\/[\w-]{2,}/i;
/** Repeats count only within this window. */
const REPEAT_WINDOW_MS = 60_000;
/** Members whose last message is remembered for repeat detection, per process (oldest forgotten first). */
const REMEMBERED_AUTHORS = 50_000;

export interface MessageToCheck {
  guildId: string;
  authorId: string;
  content: string;
  /** Distinct members and roles mentioned. */
  mentionCount: number;
  at: number;
}

/** A server's rules, compiled once when they are loaded. */
export interface CompiledRules {
  words?: RegExp;
  patterns: RegExp[];
  blockInvites: boolean;
  maxMentions: number;
  repeatLimit: number;
}

export function compileRules(rules: AutomodRules): CompiledRules {
  const words = rules.words.map((word) => word.trim()).filter(Boolean).map(escapeRegExp);
  return {
    // Whole words or phrases, case-insensitively: "ass" does not match "class".
    ...(words.length > 0 ? { words: new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'iu') } : {}),
    patterns: rules.patterns.flatMap((pattern) => {
      try {
        return [new RegExp(pattern, 'iu')];
      } catch {
        return [];
      }
    }),
    blockInvites: rules.blockInvites,
    maxMentions: rules.maxMentions,
    repeatLimit: rules.repeatLimit,
  };
}

export class Prefilter {
  /** `<guild>:<author>` → their last text and how many times in a row they sent it. */
  private readonly lastMessages = new Map<string, { text: string; count: number; at: number }>();

  check(message: MessageToCheck, rules: CompiledRules): Candidate | undefined {
    const reasons: CandidateReason[] = [];
    const matched: string[] = [];
    const found = (reason: CandidateReason, text: string) => {
      reasons.push(reason);
      matched.push(text);
    };
    const content = message.content;
    const word = rules.words?.exec(content);
    if (word) found('word', word[0]);
    const pattern = firstMatch(rules.patterns, content);
    if (pattern) found('pattern', pattern);
    const invite = rules.blockInvites ? INVITE.exec(content) : null;
    if (invite) found('invite', invite[0]);
    if (message.mentionCount >= rules.maxMentions) found('mentions', `${message.mentionCount} mentions`);
    if (this.repeated(message, rules.repeatLimit)) found('repeat', content.slice(0, 100));
    return reasons.length > 0 ? { reasons, matched } : undefined;
  }

  /** True on the message that makes `limit` identical messages in a row within a minute. */
  private repeated(message: MessageToCheck, limit: number): boolean {
    const text = message.content.trim().toLowerCase();
    if (!text) return false;
    const key = `${message.guildId}:${message.authorId}`;
    const last = this.lastMessages.get(key);
    const count = last && last.text === text && message.at - last.at < REPEAT_WINDOW_MS ? last.count + 1 : 1;
    // Re-inserted, so the map's order is least recently seen first.
    this.lastMessages.delete(key);
    this.lastMessages.set(key, { text, count, at: message.at });
    if (this.lastMessages.size > REMEMBERED_AUTHORS) this.lastMessages.delete(this.lastMessages.keys().next().value!);
    return count === limit;
  }
}

function firstMatch(patterns: readonly RegExp[], content: string): string | undefined {
  for (const pattern of patterns) {
    const found = pattern.exec(content);
    if (found) return found[0];
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
