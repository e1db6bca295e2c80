// Each server's digest settings: defaults (Monday 09:00 UTC, off until a channel is set), bounds, and their store.
// The same schema checks /config and the HTTP API; whether Steward can post in the channel is asked of Discord
// when the settings are saved.
import type { REST } from '@discordjs/rest';
import { IANAZone } from 'luxon';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { z } from 'zod';
import type { DigestRules } from '../../../workflows/digests/messages.js';
import type { EntityManager } from '../../db/database.js';
import { missingInChannel } from '../../discord/channel-access.js';
import { DigestSettingsSchema, type DigestSettingsRow } from './store/entities.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');

export const digestSettingsSchema = z
  .strictObject({
    enabled: z.boolean(),
    channelId: snowflake.nullable(),
    dayOfWeek: z.number().int().min(0, 'must be 0 (Sunday) to 6 (Saturday)').max(6, 'must be 0 (Sunday) to 6 (Saturday)'),
    hour: z.number().int().min(0, 'must be an hour from 0 to 23').max(23, 'must be an hour from 0 to 23'),
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'is not a time zone Steward knows (use an IANA name such as Europe/Berlin)'),
    llmSummary: z.boolean(),
    alertChannelId: snowflake.nullable(),
  })
  .superRefine((settings, ctx) => {
    if (settings.enabled && !settings.channelId) ctx.addIssue({ code: 'custom', path: ['channelId'], message: 'a digest channel is needed to turn digests on' });
  });
export type DigestSettings = z.output<typeof digestSettingsSchema>;

export const DEFAULT_DIGEST_SETTINGS: DigestSettings = { enabled: false, channelId: null, dayOfWeek: 1, hour: 9, timeZone: 'UTC', llmSummary: false, alertChannelId: null };

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const POSTING: [bigint, string][] = [
  [P.ViewChannel, 'View Channel'],
  [P.SendMessages, 'Send Messages'],
  [P.EmbedLinks, 'Embed Links'],
];

/** Why Steward could not post the digest in its channel, or undefined (no channel, or all is well). */
export async function digestChannelProblem(rest: REST | undefined, guildId: string, settings: DigestSettings): Promise<string | undefined> {
  if (!settings.channelId || !rest) return undefined;
  const missing = await missingInChannel(rest, guildId, settings.channelId, POSTING);
  if (missing === 'unknown channel') return 'Steward cannot see the digest channel.';
  return missing.length ? `Steward cannot post the digest in <#${settings.channelId}>: it lacks ${missing.join(', ')} there.` : undefined;
}

export async function digestSettings(em: EntityManager, guildId: string): Promise<DigestSettings> {
  const row = await em.findOne(DigestSettingsSchema, { guildId });
  return row ? settingsOf(row) : DEFAULT_DIGEST_SETTINGS;
}

export async function saveDigestSettings(em: EntityManager, guildId: string, settings: DigestSettings): Promise<DigestSettings> {
  await em.upsert(DigestSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return settingsOf(await em.findOneOrFail(DigestSettingsSchema, { guildId }, { refresh: true }));
}

/** What the digest workflow reads. */
export function rulesOf(settings: DigestSettings, retrySeconds: number): DigestRules {
  return { enabled: settings.enabled && settings.channelId !== null, channelId: settings.channelId, timeZone: settings.timeZone, llmSummary: settings.llmSummary, alertChannelId: settings.alertChannelId, retrySeconds };
}

function settingsOf(row: DigestSettingsRow): DigestSettings {
  return {
    enabled: row.enabled,
    channelId: row.channelId ?? null,
    dayOfWeek: row.dayOfWeek,
    hour: row.hour,
    timeZone: row.timeZone,
    llmSummary: row.llmSummary,
    alertChannelId: row.alertChannelId ?? null,
  };
}
