// Each server's raid settings: the defaults, the bounds that keep them meaningful (no 0-join threshold, no 0-second
// window, no quiet spell longer than a day), and their store. The same schema checks /config and the HTTP API.
import { z } from 'zod';
import type { EntityManager } from '../../db/database.js';
import { DEFAULT_SPAM_RULES, spamRulesSchema } from './detection/spam.js';
import { DEFAULT_SCREENING, screeningSchema } from './screening-settings.js';
import { RaidSettingsSchema, type RaidSettings } from './store/entities.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');

export const raidSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  joinThreshold: z.number().int().min(2, 'must be at least 2 joins').max(1000),
  joinWindowSeconds: z.number().int().min(1, 'must be at least 1 second').max(3600, 'must be at most an hour'),
  youngAccountDays: z.number().int().min(1).max(365),
  channelIds: z.array(snowflake).max(100),
  alertChannelId: snowflake.nullable(),
  startLevel: z.number().int().min(1).max(4),
  slowmodeSeconds: z.number().int().min(1).max(21_600, 'Discord allows at most 6 hours of slowmode'),
  raisedVerificationLevel: z.number().int().min(1).max(4),
  quietMinutes: z.number().int().min(1, 'must be at least a minute').max(1440, 'must be at most a day'),
  joinAction: z.enum(['none', 'timeout', 'kick']),
  joinTimeoutMinutes: z.number().int().min(1).max(40_320, 'Discord caps a timeout at 28 days'),
  spam: spamRulesSchema,
  screening: screeningSchema,
});
export type RaidSettingsInput = z.output<typeof raidSettingsSchema>;

export const DEFAULT_RAID_SETTINGS: RaidSettingsInput = {
  enabled: false,
  joinThreshold: 10,
  joinWindowSeconds: 10,
  youngAccountDays: 7,
  channelIds: [],
  alertChannelId: null,
  startLevel: 1,
  slowmodeSeconds: 30,
  raisedVerificationLevel: 3,
  quietMinutes: 10,
  joinAction: 'timeout',
  joinTimeoutMinutes: 60,
  spam: DEFAULT_SPAM_RULES,
  screening: DEFAULT_SCREENING,
};

export async function raidSettings(em: EntityManager, guildId: string): Promise<RaidSettingsInput> {
  const row = await em.findOne(RaidSettingsSchema, { guildId });
  return row ? settingsOf(row) : DEFAULT_RAID_SETTINGS;
}

export async function saveRaidSettings(em: EntityManager, guildId: string, settings: RaidSettingsInput): Promise<RaidSettingsInput> {
  await em.upsert(RaidSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return settingsOf(await em.findOneOrFail(RaidSettingsSchema, { guildId }, { refresh: true }));
}

/** Every server with raid protection or its screening gate on, for the adapter's rulebook. */
export async function protectedServers(em: EntityManager): Promise<(RaidSettingsInput & { guildId: string })[]> {
  const rows = await em.find(RaidSettingsSchema, { $or: [{ enabled: true }, { screening: { enabled: true } }] });
  return rows.map((row) => ({ guildId: row.guildId, ...settingsOf(row) }));
}

function settingsOf(row: RaidSettings): RaidSettingsInput {
  return {
    enabled: row.enabled,
    joinThreshold: row.joinThreshold,
    joinWindowSeconds: row.joinWindowSeconds,
    youngAccountDays: row.youngAccountDays,
    channelIds: row.channelIds,
    startLevel: row.startLevel,
    slowmodeSeconds: row.slowmodeSeconds,
    raisedVerificationLevel: row.raisedVerificationLevel,
    quietMinutes: row.quietMinutes,
    joinTimeoutMinutes: row.joinTimeoutMinutes,
    alertChannelId: row.alertChannelId ?? null,
    joinAction: row.joinAction as RaidSettingsInput['joinAction'],
    spam: { ...DEFAULT_SPAM_RULES, ...row.spam },
    screening: { ...DEFAULT_SCREENING, ...row.screening },
  };
}
