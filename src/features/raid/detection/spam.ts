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
  duplicate: { members: 4, seconds: 30 },
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
/** Texts shorter than this ("good morning everyone") are not compared across members: people say them together. */
const MIN_DUPLICATE_LENGTH = 24;

/** What the detector keeps per member: small on purpose, one per active member of every server. */
interface MemberState {
  heat: number;
  heatAt: number;
  /** The hash of the member's last text, to notice them repeating themselves. */
  lastText: number;
  lastTextAt: number;
  /** When their latest messages came, at most the flood limit's worth. */
  recent: number[];
  strikes: number[];
}

/** Members who posted one text, counted from its first copy for the duplicate window. */
interface TextCopies {
  firstAt: number;
  authors: string[];
}

interface ServerState {
  channels: Map<string, SlidingWindow<{ at: number; weight: number; authorId: string }>>;
  /** By the text's hash: a raid's copies are the same text, and the hash keeps memory flat whatever people write. */
  texts: Map<number, TextCopies>;
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
    if (!member) this.members.set(key, (member = { heat: 0, heatAt: message.at, lastText: 0, lastTextAt: 0, recent: [], strikes: [] }));
    const text = hashOf(normalise(message.content));
    const repeated = text === member.lastText && message.at - member.lastTextAt < rules.duplicate.seconds * 1000;
    member.heat = Math.max(0, member.heat - ((message.at - member.heatAt) / 1000) * rules.heatDecayPerSecond);
    member.heatAt = message.at;
    member.heat +=
      rules.heat.message +
      rules.heat.link * (message.content.match(LINK)?.length ?? 0) +
      rules.heat.invite * (message.content.match(INVITE)?.length ?? 0) +
      rules.heat.mention * message.mentionCount +
      rules.heat.attachment * message.attachmentCount +
      (repeated ? rules.heat.repeat : 0);
    member.lastText = text;
    member.lastTextAt = message.at;
    const floodMs = rules.memberFlood.seconds * 1000;
    member.recent = [...member.recent.filter((at) => message.at - at < floodMs).slice(1 - rules.memberFlood.messages), message.at];

    const why =
      message.mentionCount >= rules.mentionLimit
        ? `${message.mentionCount} mentions in one message`
        : member.recent.length >= rules.memberFlood.messages
          ? `${member.recent.length} messages in ${rules.memberFlood.seconds} s`
          : member.heat >= rules.heatCap
            ? `spam heat ${Math.round(member.heat)} over ${rules.heatCap}`
            : undefined;
    if (!why || message.at - (member.strikes.at(-1) ?? -Infinity) < STRIKE_SPACING_MS) return undefined;
    const memoryMs = rules.strikeMemoryHours * 3_600_000;
    member.strikes = [...member.strikes.filter((at) => message.at - at < memoryMs), message.at];
    member.heat = 0;
    member.recent = [];
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
      const hash = hashOf(text);
      let copies = server.texts.get(hash);
      if (!copies || message.at - copies.firstAt >= rules.duplicate.seconds * 1000) server.texts.set(hash, (copies = { firstAt: message.at, authors: [] }));
      if (!copies.authors.includes(message.authorId) && copies.authors.length < rules.duplicate.members) copies.authors.push(message.authorId);
      if (copies.authors.length >= rules.duplicate.members) summary ??= `the same message from ${copies.authors.length} members within ${rules.duplicate.seconds} s`;
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
      for (const [key, copies] of server.texts) if (now - copies.firstAt >= rules.duplicate.seconds * 1000) server.texts.delete(key);
    }
  }
}

function normalise(content: string): string {
  return content.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** FNV-1a, 32 bits: a text's fingerprint. Two texts sharing one is rare, and still needs several members to matter. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}
