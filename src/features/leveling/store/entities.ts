// XP leveling's store: each server's rules, each member's XP and level (with the level whose rewards were given,
// so a level-up whose workflow never started is found), and the XP earned per member per day (the digest's top
// members of the week).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { XpCurve } from '../../../../workflows/leveling/curve.js';
import type { Announcement, RewardMode, RoleReward } from '../../../../workflows/leveling/messages.js';

export const LevelingSettingsSchema = defineEntity({
  name: 'LevelingSettings',
  tableName: 'leveling_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    enabled: p.boolean().default(true),
    curve: p.json<XpCurve>(),
    xpMin: p.integer().default(15),
    xpMax: p.integer().default(25),
    cooldownSeconds: p.integer().default(60),
    /** Channel id → XP multiplier. */
    channelMultipliers: p.json<Record<string, number>>(),
    /** Role id → XP multiplier; a member with several gets the largest. */
    roleMultipliers: p.json<Record<string, number>>(),
    ignoredChannelIds: p.json<string[]>(),
    roleRewards: p.json<RoleReward[]>(),
    rewardMode: p.string().length(10).$type<RewardMode>(),
    announce: p.string().length(10).$type<Announcement>(),
    announceChannelId: p.string().length(20).nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type LevelingSettingsRow = InferEntity<typeof LevelingSettingsSchema>;

export const MemberLevelSchema = defineEntity({
  name: 'MemberLevel',
  tableName: 'member_levels',
  indexes: [{ properties: ['guildId', 'xp'] }],
  properties: {
    guildId: p.string().length(20).primary(),
    userId: p.string().length(20).primary(),
    xp: p.integer().default(0),
    level: p.integer().default(0),
    /** The level whose roles and announcement were given; below `level` while its workflow has not finished. */
    rewardedLevel: p.integer().default(0),
    /** Raised by an admin's /xp set or reset: a level can then be reached, and announced, again. */
    generation: p.integer().default(0),
    messages: p.integer().default(0),
    lastChannelId: p.string().length(20).nullable(),
    lastAwardedAt: p.datetime().nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type MemberLevel = InferEntity<typeof MemberLevelSchema>;

export const XpDaySchema = defineEntity({
  name: 'XpDay',
  tableName: 'xp_days',
  properties: {
    guildId: p.string().length(20).primary(),
    day: p.string().columnType('date').primary(),
    userId: p.string().length(20).primary(),
    xp: p.integer().default(0),
  },
});
