// The XP HTTP API under /api/v1/guilds/:guildId: the leaderboard (paged), a member's level (read, or set by XP or
// by level; the reward roles follow through the same workflow as /xp), and the server's XP settings.
import { Router } from 'express';
import { z } from 'zod';
import { levelForXp, MAX_LEVEL, xpForLevel } from '../../../../workflows/leveling/curve.js';
import type { Database } from '../../../db/database.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { parseRequestPart } from '../../../http/request.js';
import type { FlowStarter } from '../../../temporal/start-flow.js';
import { changeMemberXp, MAX_XP } from '../rank-commands.js';
import { DEFAULT_LEVELING_SETTINGS, levelingRulebook, levelingSettings, levelingSettingsSchema, saveLevelingSettings, type LevelingSettings } from '../settings.js';
import { leaderboardPage, standingOf } from '../store/levels.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');
const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});
const userPath = z.object({ userId: snowflake });
const levelBody = z.union([z.strictObject({ xp: z.number().int().min(0).max(MAX_XP) }), z.strictObject({ level: z.number().int().min(0).max(MAX_LEVEL) })]);

const shape = levelingSettingsSchema.shape;
const d = DEFAULT_LEVELING_SETTINGS;
/** PUT replaces: what the body leaves out goes back to its default. */
const settingsBody = z.strictObject({
  enabled: shape.enabled.default(d.enabled),
  curve: shape.curve.default(d.curve),
  xp_min: shape.xpMin.default(d.xpMin),
  xp_max: shape.xpMax.default(d.xpMax),
  cooldown_seconds: shape.cooldownSeconds.default(d.cooldownSeconds),
  channel_multipliers: shape.channelMultipliers.default({}),
  role_multipliers: shape.roleMultipliers.default({}),
  ignored_channel_ids: shape.ignoredChannelIds.default([]),
  role_rewards: z.array(z.strictObject({ level: z.number().int(), role_id: z.string() })).default([]),
  reward_mode: shape.rewardMode.default(d.rewardMode),
  announce: shape.announce.default(d.announce),
  announce_channel_id: shape.announceChannelId.default(null),
});

export function levelingApiRoutes({ database, flows }: { database: Database; flows: FlowStarter }): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/leaderboard`, async (request, response) => {
    const { page, per_page: perPage } = parseRequestPart('query', pageQuery, request.query);
    const board = await leaderboardPage(database.fork(), callerOf(response).guildId, page - 1, perPage);
    response.json({ page, per_page: perPage, total: board.total, entries: board.entries.map((entry) => ({ user_id: entry.userId, place: entry.place, level: entry.level, xp: entry.xp, messages: entry.messages })) });
  });

  router.get(`${GUILD_PATH}/users/:userId/level`, async (request, response) => {
    const { userId } = parseRequestPart('path', userPath, request.params);
    const { guildId } = callerOf(response);
    const [standing, settings] = await Promise.all([standingOf(database.fork(), guildId, userId), levelingSettings(database.fork(), guildId)]);
    response.json(levelJson(userId, standing ?? { xp: 0, level: 0, messages: 0, place: null }, settings));
  });

  router.put(`${GUILD_PATH}/users/:userId/level`, async (request, response) => {
    const { userId } = parseRequestPart('path', userPath, request.params);
    const body = parseBody(levelBody, request.body);
    const { guildId } = callerOf(response);
    const settings = await levelingSettings(database.fork(), guildId);
    const xp = 'xp' in body ? body.xp : xpForLevel(settings.curve, body.level);
    if (xp > MAX_XP) throw new HttpError(400, 'invalid_body', `Level ${'level' in body ? body.level : ''} costs more than ${MAX_XP} XP on this server's curve.`);
    // The request id (X-Request-Id, the caller's when given) names the change: a retried PUT re-syncs the roles once.
    await changeMemberXp({ database, flows }, { guildId, userId, change: () => xp, cause: `api-${String(response.getHeader('x-request-id'))}` });
    const standing = await standingOf(database.fork(), guildId, userId);
    response.json(levelJson(userId, standing!, settings));
  });

  router.get(`${GUILD_PATH}/xp/settings`, async (_request, response) => {
    response.json(settingsJson(await levelingSettings(database.fork(), callerOf(response).guildId)));
  });

  router.put(`${GUILD_PATH}/xp/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const settings = parseBody(levelingSettingsSchema, {
      enabled: body.enabled,
      curve: body.curve,
      xpMin: body.xp_min,
      xpMax: body.xp_max,
      cooldownSeconds: body.cooldown_seconds,
      channelMultipliers: body.channel_multipliers,
      roleMultipliers: body.role_multipliers,
      ignoredChannelIds: body.ignored_channel_ids,
      roleRewards: body.role_rewards.map((reward) => ({ level: reward.level, roleId: reward.role_id })),
      rewardMode: body.reward_mode,
      announce: body.announce,
      announceChannelId: body.announce_channel_id,
    });
    const saved = await database.transaction((em) => saveLevelingSettings(em, callerOf(response).guildId, settings));
    await levelingRulebook(database).reload();
    response.json(settingsJson(saved));
  });

  return router;
}

function levelJson(userId: string, standing: { xp: number; level: number; messages: number; place: number | null }, settings: LevelingSettings) {
  const progress = levelForXp(settings.curve, standing.xp);
  return { user_id: userId, xp: standing.xp, level: standing.level, place: standing.place, messages: standing.messages, xp_into_level: progress.intoLevel, next_level_cost: progress.nextLevelCost };
}

function settingsJson(settings: LevelingSettings) {
  return {
    enabled: settings.enabled,
    curve: settings.curve,
    xp_min: settings.xpMin,
    xp_max: settings.xpMax,
    cooldown_seconds: settings.cooldownSeconds,
    channel_multipliers: settings.channelMultipliers,
    role_multipliers: settings.roleMultipliers,
    ignored_channel_ids: settings.ignoredChannelIds,
    role_rewards: settings.roleRewards.map((reward) => ({ level: reward.level, role_id: reward.roleId })),
    reward_mode: settings.rewardMode,
    announce: settings.announce,
    announce_channel_id: settings.announceChannelId,
  };
}
