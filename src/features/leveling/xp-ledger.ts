// XP earned from messages, counted in the adapter's memory and written in batches: no workflow and no statement per
// message. A member earns XP at most once per cooldown (per server); each award is a random amount between the
// server's bounds, times the channel's multiplier and the largest of the member's roles'. A guild's messages all
// reach one adapter (one shard), so the cooldown held here is exact; a crash loses the XP of the last flush
// interval and forgets cooldowns (at most one extra award per member after a restart).
import { randomInt } from 'node:crypto';
import type { XpCurve } from '../../../workflows/leveling/curve.js';
import type { Database } from '../../db/database.js';
import type { LevelingSettings } from './settings.js';
import { addEarnedXp, type EarnedXp, type LevelChange } from './store/levels.js';

export interface CountedMessage {
  guildId: string;
  channelId: string;
  userId: string;
  roleIds: readonly string[];
  at: number;
}

export class XpLedger {
  /** `guild:user` → when the member may next earn XP. */
  private readonly cooldowns = new Map<string, number>();
  private earned = new Map<string, EarnedXp>();

  /** The XP this message earns (0 when XP is off, the channel ignored or the member cooling down), kept for the flush. */
  count(message: CountedMessage, settings: LevelingSettings): number {
    if (!settings.enabled || settings.ignoredChannelIds.includes(message.channelId)) return 0;
    const key = `${message.guildId}:${message.userId}`;
    if ((this.cooldowns.get(key) ?? 0) > message.at) return 0;
    const multiplier = (settings.channelMultipliers[message.channelId] ?? 1) * roleMultiplier(message.roleIds, settings.roleMultipliers);
    const xp = Math.round(randomInt(settings.xpMin, settings.xpMax + 1) * multiplier);
    if (xp <= 0) return 0;
    this.cooldowns.set(key, message.at + settings.cooldownSeconds * 1000);
    const entry = this.earned.get(key);
    if (entry) {
      entry.xp += xp;
      entry.messages += 1;
      entry.channelId = message.channelId;
      entry.at = new Date(message.at);
    } else {
      this.earned.set(key, { guildId: message.guildId, userId: message.userId, xp, messages: 1, channelId: message.channelId, at: new Date(message.at) });
    }
    return xp;
  }

  /** Members waiting to be written. */
  get waiting(): number {
    return this.earned.size;
  }

  /**
   * Writes what was earned since the last flush; returns the members whose level went up. A failed write puts the
   * XP back, to be tried with the next flush.
   */
  async flush(database: Database, curveOf: (guildId: string) => XpCurve, now = Date.now()): Promise<LevelChange[]> {
    const batch = this.earned;
    this.earned = new Map();
    for (const [key, until] of this.cooldowns) if (until <= now) this.cooldowns.delete(key);
    if (batch.size === 0) return [];
    try {
      return await addEarnedXp(database, [...batch.values()], curveOf);
    } catch (error) {
      for (const [key, entry] of batch) {
        const later = this.earned.get(key);
        this.earned.set(key, later ? { ...later, xp: later.xp + entry.xp, messages: later.messages + entry.messages } : entry);
      }
      throw error;
    }
  }
}

function roleMultiplier(roleIds: readonly string[], multipliers: Readonly<Record<string, number>>): number {
  let largest: number | undefined;
  for (const roleId of roleIds) {
    const multiplier = multipliers[roleId];
    if (multiplier !== undefined && (largest === undefined || multiplier > largest)) largest = multiplier;
  }
  return largest ?? 1;
}
