// Members' XP and levels: the adapter's batched writes (one statement for every member who earned XP since the
// last flush), reading a member's rank, the leaderboard, and an admin's changes.
import { LockMode, raw } from '@mikro-orm/core';
import { levelForXp, type XpCurve } from '../../../../workflows/leveling/curve.js';
import type { Database, EntityManager } from '../../../db/database.js';
import { MemberLevelSchema, type MemberLevel } from './entities.js';

export interface EarnedXp {
  guildId: string;
  userId: string;
  xp: number;
  messages: number;
  channelId: string;
  at: Date;
}

export interface LevelChange {
  guildId: string;
  userId: string;
  level: number;
  previousLevel: number;
  rewardedLevel: number;
  generation: number;
  channelId: string | null;
}

/**
 * Adds the XP earned since the last flush, and the day's XP, in one transaction; then writes the level of each
 * member whose XP crossed one. Returns the members whose level went up. Raw SQL: the ORM cannot add to a counter
 * on conflict and return the sum, nor take thousands of rows as one parameter.
 */
export async function addEarnedXp(database: Database, earned: readonly EarnedXp[], curveOf: (guildId: string) => XpCurve): Promise<LevelChange[]> {
  if (earned.length === 0) return [];
  return database.transaction(async (em) => {
    // One JSON parameter carries every row: a statement's size does not grow with the batch.
    const rows = JSON.stringify(earned.map((row) => ({ guild_id: row.guildId, user_id: row.userId, xp: row.xp, messages: row.messages, channel_id: row.channelId, at: row.at.toISOString() })));
    const earnedRows = `jsonb_to_recordset(?::jsonb) as earned (guild_id varchar, user_id varchar, xp int, messages int, channel_id varchar, at timestamptz)`;
    const totals = await em.execute<{ guild_id: string; user_id: string; xp: number; level: number; rewarded_level: number; generation: number; last_channel_id: string | null }[]>(
      `insert into member_levels (guild_id, user_id, xp, messages, last_channel_id, last_awarded_at)
       select guild_id, user_id, xp, messages, channel_id, at from ${earnedRows}
       on conflict (guild_id, user_id) do update set
         xp = member_levels.xp + excluded.xp, messages = member_levels.messages + excluded.messages,
         last_channel_id = excluded.last_channel_id, last_awarded_at = excluded.last_awarded_at, updated_at = now()
       returning guild_id, user_id, xp, level, rewarded_level, generation, last_channel_id`,
      [rows],
      'all',
    );
    await em.execute(
      `insert into xp_days (guild_id, day, user_id, xp)
       select guild_id, (at at time zone 'UTC')::date, user_id, xp from ${earnedRows}
       on conflict (guild_id, day, user_id) do update set xp = xp_days.xp + excluded.xp`,
      [rows],
      'run',
    );
    const changes: LevelChange[] = [];
    for (const row of totals) {
      const level = levelForXp(curveOf(row.guild_id), row.xp).level;
      if (level !== row.level) {
        changes.push({ guildId: row.guild_id, userId: row.user_id, level, previousLevel: row.level, rewardedLevel: row.rewarded_level, generation: row.generation, channelId: row.last_channel_id });
      }
    }
    if (changes.length > 0) {
      await em.execute(
        `update member_levels as member set level = changed.level
         from jsonb_to_recordset(?::jsonb) as changed (guild_id varchar, user_id varchar, level int)
         where member.guild_id = changed.guild_id and member.user_id = changed.user_id`,
        [JSON.stringify(changes.map((change) => ({ guild_id: change.guildId, user_id: change.userId, level: change.level })))],
        'run',
      );
    }
    return changes.filter((change) => change.level > change.previousLevel && change.level > change.rewardedLevel);
  });
}

/** Members whose level is above the one rewarded, last changed before `before`: their level-up never started. */
export async function unrewardedLevels(em: EntityManager, before: Date, limit = 500): Promise<LevelChange[]> {
  const rows = await em.find(MemberLevelSchema, { [raw('level > rewarded_level')]: [], updatedAt: { $lt: before } }, { limit });
  return rows.map((row) => ({ guildId: row.guildId, userId: row.userId, level: row.level, previousLevel: row.rewardedLevel, rewardedLevel: row.rewardedLevel, generation: row.generation, channelId: row.lastChannelId ?? null }));
}

export interface Standing {
  userId: string;
  xp: number;
  level: number;
  messages: number;
  /** 1 for the most XP in the server. */
  place: number;
}

/** A member's standing, or undefined when they have earned no XP yet. */
export async function standingOf(em: EntityManager, guildId: string, userId: string): Promise<Standing | undefined> {
  const member = await em.findOne(MemberLevelSchema, { guildId, userId });
  if (!member) return undefined;
  const ahead = await em.count(MemberLevelSchema, { guildId, xp: { $gt: member.xp } });
  return { userId, xp: member.xp, level: member.level, messages: member.messages, place: ahead + 1 };
}

export const LEADERBOARD_PAGE_SIZE = 10;

/** One page (from 0) of the server's members by XP, and how many members have XP. */
export async function leaderboardPage(em: EntityManager, guildId: string, page: number, pageSize = LEADERBOARD_PAGE_SIZE): Promise<{ entries: Standing[]; total: number }> {
  const [rows, total] = await em.findAndCount(MemberLevelSchema, { guildId, xp: { $gt: 0 } }, { orderBy: { xp: 'desc', userId: 'asc' }, limit: pageSize, offset: page * pageSize });
  return { entries: rows.map((row, index) => ({ userId: row.userId, xp: row.xp, level: row.level, messages: row.messages, place: page * pageSize + index + 1 })), total };
}

/**
 * An admin changes a member's XP (`change` gets the current XP, read under the row's lock, so two changes at once
 * both count): the level follows, and the generation moves on (so levels reached again are announced again); the
 * rewards are then brought in line by a workflow, so the level counts as rewarded.
 */
export async function changeXp(em: EntityManager, guildId: string, userId: string, change: (current: number) => number, curve: XpCurve): Promise<MemberLevel> {
  const member = await em.findOne(MemberLevelSchema, { guildId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const xp = change(member?.xp ?? 0);
  const level = levelForXp(curve, xp).level;
  if (!member) {
    const created = em.create(MemberLevelSchema, { guildId, userId, xp, level, rewardedLevel: level, generation: 1, messages: 0, updatedAt: new Date() });
    await em.flush();
    return created;
  }
  Object.assign(member, { xp, level, rewardedLevel: level, generation: member.generation + 1, updatedAt: new Date() });
  await em.flush();
  return member;
}

/** The level-up's rewards are given: a later level (or an admin's new generation) is left alone. */
export async function markLevelRewarded(em: EntityManager, { guildId, userId, generation, level }: { guildId: string; userId: string; generation: number; level: number }): Promise<void> {
  await em.nativeUpdate(MemberLevelSchema, { guildId, userId, generation, rewardedLevel: { $lt: level } }, { rewardedLevel: level });
}

export async function levelOf(em: EntityManager, guildId: string, userId: string): Promise<number> {
  return (await em.findOne(MemberLevelSchema, { guildId, userId }))?.level ?? 0;
}
