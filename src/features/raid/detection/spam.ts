// Spam detection, in the adapter for every message, with no workflow per message. Each member has a heat score
// that every message raises by its kind (links, invites, mentions, attachments, repeats) and that cools every second
// (Wick's model); crossing the cap, flooding, or mass-mentioning is a strike, and each strike in a day times the
// member out for longer. Many members flooding one channel, or posting the same text, is a raid. Pure.
import { z } from 'zod';
import { SlidingWindow } from './sliding-window.js';

const count = (min: number, max: number) => z.number().int().min(min).max(max);

export const spamRulesSchema = z.strictObject({
  heatCap: count(10, 1000),
  heatDecayPerSecond: z.number().min(0.1).max(100),
  heat: z.strictObject({ message: count(0, 1000), link: count(0, 1000), invite: count(0, 1000), mention: count(0, 1000), attachment: count(0, 1000), repeat: count(0, 1000) }),
  mentionLimit: count(2, 50),
  memberFlood: z.strictObject({ messages: count(2, 100), seconds: count(1, 60) }),
  channelFlood: z.strictObject({ messages: count(5, 500), seconds: count(1, 60) }),
  duplicate: z.strictObject({ members: count(2, 50), seconds: count(1, 600) }),
  /** The timeout for the first, second, … strike within `strikeMemoryHours`; the last repeats. */
  strikeTimeoutsMinutes: z.array(count(1, 40_320)).min(1).max(10),
  strikeMemoryHours: count(1, 720),
});
export type SpamRules = z.output<typeof spamRulesSchema>;

export const DEFAULT_SPAM_RULES: SpamRules = {
  heatCap: 100,
  heatDecayPerSecond: 8,
  heat: { message: 10, link: 15, invite: 40, mention: 10, attachment: 10, repeat: 20 },
  mentionLimit: 5,
  memberFlood: { messages: 6, seconds: 5 },
  channelFlood: { messages: 25, seconds: 5 },
  duplicate: { members: 3, seconds: 30 },
  strikeTimeoutsMinutes: [1, 10, 60, 1440],
  strikeMemoryHours: 24,
};

export interface ChatMessage {
  guildId: string;
  channelId: string;
  authorId: string;
  content: string;
  mentionCount: number;
  attachmentCount: number;
  at: number;
}

export interface Strike {
  memberId: string;
  /** 1 for the first strike within the memory, 2 for the next, … */
  strike: number;
  timeoutMinutes: number;
  why: string;
}

export interface SpamVerdict {
  strike?: Strike;
  /** Set when the server as a whole is being spammed: a raid. */
  raid?: { summary: string };
}

const LINK = /https?:\/\/\S+/gi;
const INVITE = /(?:discord\.gg|discord(?:app)?\.com\/invite)\/[\w-]+/gi;
/** A member struck is not struck again for the same burst. */
const STRIKE_SPACING_MS = 10_000;
/** Texts shorter than this ("hi", "lol") are not compared across members. */
const MIN_DUPLICATE_LENGTH = 8;

interface MemberState {
  heat: number;
  heatAt: number;
  lastContent: string;
  lastContentAt: number;
  messages: SlidingWindow<{ at: number; weight: number }>;
  strikes: number[];
}

interface ServerState {
  channels: Map<string, SlidingWindow<{ at: number; weight: number; authorId: string }>>;
  texts: Map<string, SlidingWindow<{ at: number; weight: number; authorId: string }>>;
  raidReportedAt: number;
}

export class SpamDetector {
  private readonly members = new Map<string, MemberState>();
  private readonly servers = new Map<string, ServerState>();
  private sweptAt = 0;

  check(message: ChatMessage, rules: SpamRules): SpamVerdict {
    this.sweep(message.at, rules);
    const verdict: SpamVerdict = {};
    const strike = this.strikeFor(message, rules);
    if (strike) verdict.strike = strike;
    const raid = this.raidFor(message, rules);
    if (raid) verdict.raid = raid;
    return verdict;
  }

  /** Members and servers in memory (for the memory benchmark). */
  get size(): { members: number; servers: number } {
    return { members: this.members.size, servers: this.servers.size };
  }

  private strikeFor(message: ChatMessage, rules: SpamRules): Strike | undefined {
    const key = `${message.guildId}:${message.authorId}`;
    let member = this.members.get(key);
    if (!member) this.members.set(key, (member = { heat: 0, heatAt: message.at, lastContent: '', lastContentAt: 0, messages: new SlidingWindow(rules.memberFlood.seconds * 1000), strikes: [] }));
    const text = normalise(message.content);
    const repeated = text.length > 0 && text === member.lastContent && message.at - member.lastContentAt < rules.duplicate.seconds * 1000;
    member.heat = Math.max(0, member.heat - ((message.at - member.heatAt) / 1000) * rules.heatDecayPerSecond);
    member.heatAt = message.at;
    member.heat +=
      rules.heat.message +
      rules.heat.link * (message.content.match(LINK)?.length ?? 0) +
      rules.heat.invite * (message.content.match(INVITE)?.length ?? 0) +
      rules.heat.mention * message.mentionCount +
      rules.heat.attachment * message.attachmentCount +
      (repeated ? rules.heat.repeat : 0);
    member.lastContent = text;
    member.lastContentAt = message.at;
    member.messages.resize(rules.memberFlood.seconds * 1000);
    member.messages.add({ at: message.at, weight: 1 });

    const why =
      message.mentionCount >= rules.mentionLimit
        ? `${message.mentionCount} mentions in one message`
        : member.messages.size >= rules.memberFlood.messages
          ? `${member.messages.size} messages in ${rules.memberFlood.seconds} s`
          : member.heat >= rules.heatCap
            ? `spam heat ${Math.round(member.heat)} over ${rules.heatCap}`
            : undefined;
    if (!why || message.at - (member.strikes.at(-1) ?? -Infinity) < STRIKE_SPACING_MS) return undefined;
    const memoryMs = rules.strikeMemoryHours * 3_600_000;
    member.strikes = [...member.strikes.filter((at) => message.at - at < memoryMs), message.at];
    member.heat = 0;
    member.messages = new SlidingWindow(rules.memberFlood.seconds * 1000);
    const ladder = rules.strikeTimeoutsMinutes;
    return { memberId: message.authorId, strike: member.strikes.length, timeoutMinutes: ladder[Math.min(member.strikes.length, ladder.length) - 1]!, why };
  }

  private raidFor(message: ChatMessage, rules: SpamRules): { summary: string } | undefined {
    let server = this.servers.get(message.guildId);
    if (!server) this.servers.set(message.guildId, (server = { channels: new Map(), texts: new Map(), raidReportedAt: -Infinity }));
    const floodMs = rules.channelFlood.seconds * 1000;
    let channel = server.channels.get(message.channelId);
    if (!channel) server.channels.set(message.channelId, (channel = new SlidingWindow(floodMs)));
    channel.add({ at: message.at, weight: 1, authorId: message.authorId });

    let summary: string | undefined;
    const posters = new Set(channel.current().map((entry) => entry.authorId)).size;
    if (channel.size >= rules.channelFlood.messages && posters >= 3) summary = `${channel.size} messages from ${posters} members in <#${message.channelId}> within ${rules.channelFlood.seconds} s`;
    const text = normalise(message.content);
    if (text.length >= MIN_DUPLICATE_LENGTH) {
      let copies = server.texts.get(text);
      if (!copies) server.texts.set(text, (copies = new SlidingWindow(rules.duplicate.seconds * 1000)));
      copies.add({ at: message.at, weight: 1, authorId: message.authorId });
      const authors = new Set(copies.current().map((entry) => entry.authorId)).size;
      if (authors >= rules.duplicate.members) summary ??= `the same message from ${authors} members within ${rules.duplicate.seconds} s`;
    }
    if (!summary || message.at - server.raidReportedAt < floodMs) return undefined;
    server.raidReportedAt = message.at;
    return { summary };
  }

  /** Forgets members who cooled down with no strike to remember, and empty windows, once a minute. */
  private sweep(now: number, rules: SpamRules): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    const memoryMs = rules.strikeMemoryHours * 3_600_000;
    for (const [key, member] of this.members) {
      const cooled = member.heat - ((now - member.heatAt) / 1000) * rules.heatDecayPerSecond <= 0;
      if (cooled && member.strikes.every((at) => now - at >= memoryMs)) this.members.delete(key);
    }
    for (const server of this.servers.values()) {
      for (const [key, window] of server.channels) if ((window.prune(now), window.size === 0)) server.channels.delete(key);
      for (const [key, window] of server.texts) if ((window.prune(now), window.size === 0)) server.texts.delete(key);
    }
  }
}

function normalise(content: string): string {
  return content.toLowerCase().replace(/\s+/g, ' ').trim();
}
