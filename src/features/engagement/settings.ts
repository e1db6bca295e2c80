// Each server's engagement settings: defaults, bounds, and their store. The same schema checks /config and the
// HTTP API, so both refuse the same things in the same words.
import { z } from 'zod';
import type { EngagementRules } from '../../../workflows/engagement/messages.js';
import { LEVELS } from '../../../workflows/engagement/vis.js';
import type { EntityManager } from '../../db/database.js';
import { EngagementSettingsSchema, type EngagementSettingsRow } from './store/entities.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');

export const engagementSettingsSchema = z
  .strictObject({
    reviewEnabled: z.boolean(),
    reviewChannelId: snowflake.nullable(),
    reviewerRoleIds: z.array(snowflake).max(25),
    reviewTimeoutHours: z.number().int().min(1, 'must be at least an hour').max(720, 'must be at most 30 days'),
    reactionFeedback: z.boolean(),
    recognitionChannelId: snowflake.nullable(),
    recognizerRoleIds: z.array(snowflake).max(25),
    levelRoleIds: z.strictObject(Object.fromEntries(LEVELS.map((level) => [level, snowflake.optional()])) as Record<(typeof LEVELS)[number], z.ZodOptional<typeof snowflake>>),
    demoteLevels: z.boolean(),
    milestoneChannelId: snowflake.nullable(),
    adminAlertChannelId: snowflake.nullable(),
  })
  .superRefine((settings, ctx) => {
    if (settings.reviewEnabled && !settings.reviewChannelId) {
      ctx.addIssue({ code: 'custom', path: ['reviewChannelId'], message: 'a review channel is needed when review is on' });
    }
    const roles = Object.values(settings.levelRoleIds).filter(Boolean);
    if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', path: ['levelRoleIds'], message: 'each level needs its own role' });
  });
export type EngagementSettings = z.output<typeof engagementSettingsSchema>;

export const DEFAULT_ENGAGEMENT_SETTINGS: EngagementSettings = {
  reviewEnabled: false,
  reviewChannelId: null,
  reviewerRoleIds: [],
  reviewTimeoutHours: 72,
  reactionFeedback: true,
  recognitionChannelId: null,
  recognizerRoleIds: [],
  levelRoleIds: {},
  demoteLevels: false,
  milestoneChannelId: null,
  adminAlertChannelId: null,
};

export async function engagementSettings(em: EntityManager, guildId: string): Promise<EngagementSettings> {
  const row = await em.findOne(EngagementSettingsSchema, { guildId });
  return row ? settingsOf(row) : DEFAULT_ENGAGEMENT_SETTINGS;
}

export async function saveEngagementSettings(em: EntityManager, guildId: string, settings: EngagementSettings): Promise<EngagementSettings> {
  await em.upsert(EngagementSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return settingsOf(await em.findOneOrFail(EngagementSettingsSchema, { guildId }, { refresh: true }));
}

/** What a workflow reads once when it starts. */
export function rulesOf(settings: EngagementSettings, pacing: Pick<EngagementRules, 'analysisRetrySeconds' | 'reviewAlertSeconds'>): EngagementRules {
  return {
    review: settings.reviewEnabled && settings.reviewChannelId
      ? { channelId: settings.reviewChannelId, reviewerRoleIds: settings.reviewerRoleIds, timeoutHours: settings.reviewTimeoutHours }
      : null,
    recognitionChannelId: settings.recognitionChannelId,
    levelRoleIds: settings.levelRoleIds,
    demoteLevels: settings.demoteLevels,
    milestoneChannelId: settings.milestoneChannelId,
    adminAlertChannelId: settings.adminAlertChannelId,
    ...pacing,
  };
}

function settingsOf(row: EngagementSettingsRow): EngagementSettings {
  return {
    reviewEnabled: row.reviewEnabled,
    reviewChannelId: row.reviewChannelId ?? null,
    reviewerRoleIds: row.reviewerRoleIds,
    reviewTimeoutHours: row.reviewTimeoutHours,
    reactionFeedback: row.reactionFeedback,
    recognitionChannelId: row.recognitionChannelId ?? null,
    recognizerRoleIds: row.recognizerRoleIds,
    levelRoleIds: row.levelRoleIds,
    demoteLevels: row.demoteLevels,
    milestoneChannelId: row.milestoneChannelId ?? null,
    adminAlertChannelId: row.adminAlertChannelId ?? null,
  };
}
