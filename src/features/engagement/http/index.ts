// The engagement HTTP API under /api/v1/guilds/:guildId: the server's settings (checked as /config checks them),
// member links to the volunteer platform, feedback and where it stands, and a member's VIS.
import { Router } from 'express';
import { z } from 'zod';
import { LEVEL_NAMES, levelOf, nextLevel } from '../../../../workflows/engagement/vis.js';
import type { Database } from '../../../db/database.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { PLATFORM_USER_ID } from '../link-command.js';
import { DEFAULT_ENGAGEMENT_SETTINGS, engagementSettings, engagementSettingsSchema, saveEngagementSettings, type EngagementSettings } from '../settings.js';
import type { Feedback } from '../store/entities.js';
import { feedbackByTrackingId, feedbackOf } from '../store/feedback.js';
import { linkVolunteer, platformUserOf, unlinkVolunteer } from '../store/links.js';
import { recentRecognitions, visOf } from '../store/vis.js';

const shape = engagementSettingsSchema.shape;
const d = DEFAULT_ENGAGEMENT_SETTINGS;
/** PUT replaces: what the body leaves out goes back to its default. */
const settingsBody = z.strictObject({
  review_enabled: shape.reviewEnabled.default(d.reviewEnabled),
  review_channel_id: shape.reviewChannelId.default(null),
  reviewer_role_ids: shape.reviewerRoleIds.default([]),
  review_timeout_hours: shape.reviewTimeoutHours.default(d.reviewTimeoutHours),
  reaction_feedback: shape.reactionFeedback.default(d.reactionFeedback),
  recognition_channel_id: shape.recognitionChannelId.default(null),
  recognizer_role_ids: shape.recognizerRoleIds.default([]),
  level_role_ids: shape.levelRoleIds.default({}),
  demote_levels: shape.demoteLevels.default(d.demoteLevels),
  milestone_channel_id: shape.milestoneChannelId.default(null),
  admin_alert_channel_id: shape.adminAlertChannelId.default(null),
});
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');
const linkBody = z.strictObject({ platform_user_id: z.string().regex(PLATFORM_USER_ID, '1–100 letters, digits and . : @ _ -') });

export function engagementApiRoutes({ database }: { database: Database }): Router {
  const router = Router();
  const base = `${GUILD_PATH}/engagement`;

  router.get(`${base}/settings`, async (_request, response) => {
    response.json(settingsJson(await engagementSettings(database.fork(), callerOf(response).guildId)));
  });

  router.put(`${base}/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const settings = parseBody(engagementSettingsSchema, {
      reviewEnabled: body.review_enabled,
      reviewChannelId: body.review_channel_id,
      reviewerRoleIds: body.reviewer_role_ids,
      reviewTimeoutHours: body.review_timeout_hours,
      reactionFeedback: body.reaction_feedback,
      recognitionChannelId: body.recognition_channel_id,
      recognizerRoleIds: body.recognizer_role_ids,
      levelRoleIds: body.level_role_ids,
      demoteLevels: body.demote_levels,
      milestoneChannelId: body.milestone_channel_id,
      adminAlertChannelId: body.admin_alert_channel_id,
    });
    response.json(settingsJson(await database.transaction((em) => saveEngagementSettings(em, callerOf(response).guildId, settings))));
  });

  router.get(`${base}/links/:userId`, async (request, response) => {
    const userId = parseBody(snowflake, request.params.userId);
    const platformUserId = await platformUserOf(database.fork(), callerOf(response).guildId, userId);
    if (!platformUserId) throw new HttpError(404, 'not_linked', `<@${userId}> is not linked.`);
    response.json({ user_id: userId, platform_user_id: platformUserId });
  });

  router.put(`${base}/links/:userId`, async (request, response) => {
    const userId = parseBody(snowflake, request.params.userId);
    const body = parseBody(linkBody, request.body);
    await database.transaction((em) => linkVolunteer(em, callerOf(response).guildId, userId, body.platform_user_id));
    response.json({ user_id: userId, platform_user_id: body.platform_user_id });
  });

  router.delete(`${base}/links/:userId`, async (request, response) => {
    const userId = parseBody(snowflake, request.params.userId);
    const removed = await database.transaction((em) => unlinkVolunteer(em, callerOf(response).guildId, userId));
    response.status(removed ? 204 : 404).end();
  });

  router.get(`${base}/feedback`, async (request, response) => {
    const query = parseBody(z.object({ member: snowflake.optional(), limit: z.coerce.number().int().min(1).max(100).default(25) }), request.query);
    const rows = await feedbackOf(database.fork(), callerOf(response).guildId, { ...(query.member ? { userId: query.member } : {}), limit: query.limit });
    response.json({ feedback: rows.map(feedbackJson) });
  });

  router.get(`${base}/feedback/:trackingId`, async (request, response) => {
    const found = await feedbackByTrackingId(database.fork(), callerOf(response).guildId, String(request.params.trackingId));
    if (!found) throw new HttpError(404, 'not_found', 'No feedback has this tracking id here.');
    response.json(feedbackJson(found));
  });

  router.get(`${base}/members/:userId`, async (request, response) => {
    const userId = parseBody(snowflake, request.params.userId);
    const em = database.fork();
    const guildId = callerOf(response).guildId;
    const { score, recognitions } = await visOf(em, guildId, userId);
    const next = nextLevel(score);
    response.json({
      user_id: userId,
      vis: score,
      level: levelOf(score),
      level_name: LEVEL_NAMES[levelOf(score)],
      recognitions,
      next_milestone: next ? { level: next.level, at: next.at, missing: next.missing } : null,
      recent_recognitions: (await recentRecognitions(em, guildId, userId)).map((row) => ({ id: row.id, badge: row.badge, points: row.points, achievement: row.achievement, by: row.giverId, at: row.createdAt.toISOString() })),
    });
  });

  return router;
}

function settingsJson(settings: EngagementSettings) {
  return {
    review_enabled: settings.reviewEnabled,
    review_channel_id: settings.reviewChannelId,
    reviewer_role_ids: settings.reviewerRoleIds,
    review_timeout_hours: settings.reviewTimeoutHours,
    reaction_feedback: settings.reactionFeedback,
    recognition_channel_id: settings.recognitionChannelId,
    recognizer_role_ids: settings.recognizerRoleIds,
    level_role_ids: settings.levelRoleIds,
    demote_levels: settings.demoteLevels,
    milestone_channel_id: settings.milestoneChannelId,
    admin_alert_channel_id: settings.adminAlertChannelId,
  };
}

function feedbackJson(row: Feedback) {
  return {
    tracking_id: row.trackingId,
    user_id: row.userId,
    kind: row.kind,
    text: row.text,
    sentiment: row.sentiment ?? null,
    analysis_status: row.analysisStatus,
    analysis: row.analysis ?? null,
    share_status: row.shareStatus,
    reviewer_id: row.reviewerId ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
