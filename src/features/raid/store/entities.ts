// Raid protection's store: each server's thresholds and lockdown rules. Lockdowns themselves are moderation cases
// (kind `lockdown`) with their timeline; the workflow holds the truth while one lasts.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SpamRules } from '../detection/spam.js';
import type { ScreeningSettings } from '../screening-settings.js';

export const RaidSettingsSchema = defineEntity({
  name: 'RaidSettings',
  tableName: 'raid_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** Raid protection acts only where a server turned it on: a lockdown changes the server's permissions. */
    enabled: p.boolean().default(false),
    /** Weighted joins in `joinWindowSeconds` that make a raid. */
    joinThreshold: p.integer().default(10),
    joinWindowSeconds: p.integer().default(10),
    /** Accounts younger than this count as a full join (under a day: double); older ones as half. */
    youngAccountDays: p.integer().default(7),
    /** The channels a lockdown touches; empty: every text channel the bot can manage. */
    channelIds: p.json<string[]>(),
    alertChannelId: p.string().length(20).nullable(),
    startLevel: p.integer().default(1),
    slowmodeSeconds: p.integer().default(30),
    raisedVerificationLevel: p.integer().default(3),
    quietMinutes: p.integer().default(10),
    joinAction: p.string().length(10).default('timeout'),
    joinTimeoutMinutes: p.integer().default(60),
    spam: p.json<SpamRules>(),
    /** The optional gate for new members: a Verify button that gives the member role, or a kick after a while. */
    screening: p.json<ScreeningSettings>(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type RaidSettings = InferEntity<typeof RaidSettingsSchema>;
