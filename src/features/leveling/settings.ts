// Each server's XP rules: defaults (MEE6's), bounds, and their store. The same schema checks /config and the HTTP
// API, so both refuse the same things in the same words; the adapter keeps every server's rules in memory
// (rulebook), since it reads them for every message.
import { z } from 'zod';
import { CURVE_PRESETS, MAX_LEVEL, curveProblem } from '../../../workflows/leveling/curve.js';
import type { LevelingRules } from '../../../workflows/leveling/messages.js';
import type { EntityManager } from '../../db/database.js';
import { perDatabase, ReloadedSnapshot } from '../../db/reloaded-snapshot.js';
import { LevelingSettingsSchema, type LevelingSettingsRow } from './store/entities.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');
const multiplier = z.number().min(0, 'must be 0 or more').max(10, 'must be at most 10');

export const levelingSettingsSchema = z
  .strictObject({
    enabled: z.boolean(),
    curve: z.strictObject({ a: z.number(), b: z.number(), c: z.number() }),
    xpMin: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    xpMax: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    cooldownSeconds: z.number().int().min(0, 'must be 0 or more').max(86_400, 'must be at most a day'),
    channelMultipliers: z.record(snowflake, multiplier).refine((map) => Object.keys(map).length <= 50, 'at most 50 channels'),
    roleMultipliers: z.record(snowflake, multiplier).refine((map) => Object.keys(map).length <= 50, 'at most 50 roles'),
    ignoredChannelIds: z.array(snowflake).max(100),
    roleRewards: z.array(z.strictObject({ level: z.number().int().min(1).max(MAX_LEVEL), roleId: snowflake })).max(25, 'at most 25 role rewards'),
    rewardMode: z.enum(['stack', 'replace']),
    announce: z.enum(['off', 'channel', 'dm']),
    announceChannelId: snowflake.nullable(),
  })
  .superRefine((settings, ctx) => {
    const problem = curveProblem(settings.curve);
    if (problem) ctx.addIssue({ code: 'custom', path: ['curve'], message: problem });
    if (settings.xpMin > settings.xpMax) ctx.addIssue({ code: 'custom', path: ['xpMin'], message: 'must not be above the most XP per message' });
    const levels = settings.roleRewards.map((reward) => reward.level);
    if (new Set(levels).size !== levels.length) ctx.addIssue({ code: 'custom', path: ['roleRewards'], message: 'one reward per level' });
    const roles = settings.roleRewards.map((reward) => reward.roleId);
    if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', path: ['roleRewards'], message: 'each reward needs its own role' });
  });
export type LevelingSettings = z.output<typeof levelingSettingsSchema>;

export const DEFAULT_LEVELING_SETTINGS: LevelingSettings = {
  enabled: true,
  curve: { ...CURVE_PRESETS.mee6 },
  xpMin: 15,
  xpMax: 25,
  cooldownSeconds: 60,
  channelMultipliers: {},
  roleMultipliers: {},
  ignoredChannelIds: [],
  roleRewards: [],
  rewardMode: 'stack',
  announce: 'channel',
  announceChannelId: null,
};

export async function levelingSettings(em: EntityManager, guildId: string): Promise<LevelingSettings> {
  const row = await em.findOne(LevelingSettingsSchema, { guildId });
  return row ? settingsOf(row) : DEFAULT_LEVELING_SETTINGS;
}

export async function saveLevelingSettings(em: EntityManager, guildId: string, settings: LevelingSettings): Promise<LevelingSettings> {
  await em.upsert(LevelingSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return settingsOf(await em.findOneOrFail(LevelingSettingsSchema, { guildId }, { refresh: true }));
}

export function rulesOf(settings: LevelingSettings): LevelingRules {
  return { roleRewards: settings.roleRewards, rewardMode: settings.rewardMode, announce: settings.announce, announceChannelId: settings.announceChannelId };
}

function settingsOf(row: LevelingSettingsRow): LevelingSettings {
  return {
    enabled: row.enabled,
    curve: row.curve,
    xpMin: row.xpMin,
    xpMax: row.xpMax,
    cooldownSeconds: row.cooldownSeconds,
    channelMultipliers: row.channelMultipliers,
    roleMultipliers: row.roleMultipliers,
    ignoredChannelIds: row.ignoredChannelIds,
    roleRewards: row.roleRewards,
    rewardMode: row.rewardMode,
    announce: row.announce,
    announceChannelId: row.announceChannelId ?? null,
  };
}

/** Every server's rules that differ from the defaults, in the adapter's memory (reloaded at once after /config). */
export const levelingRulebook = perDatabase(
  (database) =>
    new ReloadedSnapshot<ReadonlyMap<string, LevelingSettings>>(async () => {
      const rows = await database.fork().find(LevelingSettingsSchema, {});
      return new Map(rows.map((row) => [row.guildId, settingsOf(row)]));
    }, new Map()),
);
