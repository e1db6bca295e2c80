// The raid protection HTTP API under /api/v1/guilds/:guildId: the server's thresholds and lockdown rules (checked
// as /config checks them, channels included), and the lockdown under way, if any.
import type { REST } from '@discordjs/rest';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { lockdownStatus, lockdownWorkflowId } from '../../../../workflows/raid/messages.js';
import type { Database } from '../../../db/database.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { DEFAULT_SPAM_RULES, spamRulesSchema } from '../detection/spam.js';
import { lockdownChannelProblems } from '../lockable-channels.js';
import { memberRoleProblem } from '../member-role.js';
import { raidRulebook } from '../rulebook.js';
import { DEFAULT_SCREENING, screeningSchema } from '../screening-settings.js';
import { DEFAULT_RAID_SETTINGS, raidSettings, raidSettingsSchema, saveRaidSettings, type RaidSettingsInput } from '../settings.js';

const d = DEFAULT_RAID_SETTINGS;
/** PUT replaces: what the body leaves out goes back to its default. The bounds are /config's. */
const settingsBody = z.strictObject({
  enabled: z.boolean().default(d.enabled),
  join_threshold: raidSettingsSchema.shape.joinThreshold.default(d.joinThreshold),
  join_window_seconds: raidSettingsSchema.shape.joinWindowSeconds.default(d.joinWindowSeconds),
  young_account_days: raidSettingsSchema.shape.youngAccountDays.default(d.youngAccountDays),
  channel_ids: raidSettingsSchema.shape.channelIds.default([]),
  alert_channel_id: raidSettingsSchema.shape.alertChannelId.default(null),
  start_level: raidSettingsSchema.shape.startLevel.default(d.startLevel),
  slowmode_seconds: raidSettingsSchema.shape.slowmodeSeconds.default(d.slowmodeSeconds),
  raised_verification_level: raidSettingsSchema.shape.raisedVerificationLevel.default(d.raisedVerificationLevel),
  quiet_minutes: raidSettingsSchema.shape.quietMinutes.default(d.quietMinutes),
  join_action: raidSettingsSchema.shape.joinAction.default(d.joinAction),
  join_timeout_minutes: raidSettingsSchema.shape.joinTimeoutMinutes.default(d.joinTimeoutMinutes),
  spam: spamRulesSchema.default(DEFAULT_SPAM_RULES),
  screening: screeningSchema.default(DEFAULT_SCREENING),
});

export function raidApiRoutes({ database, temporal, discord }: { database: Database; temporal: Client; discord?: REST }): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/raid/settings`, async (_request, response) => {
    response.json(settingsJson(await raidSettings(database.fork(), callerOf(response).guildId)));
  });

  router.put(`${GUILD_PATH}/raid/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const guildId = callerOf(response).guildId;
    if (body.screening.enabled && body.screening.memberRoleId && discord) {
      const problem = await memberRoleProblem(discord, guildId, body.screening.memberRoleId);
      if (problem) throw new HttpError(422, 'unusable_role', problem, [{ path: 'screening.memberRoleId', message: problem }]);
    }
    if (body.enabled && discord) {
      const problems = await lockdownChannelProblems(discord, guildId, body.channel_ids);
      if (problems.length > 0) throw new HttpError(422, 'unusable_channels', 'A lockdown could not change everything these settings name.', problems.map((message) => ({ path: 'channel_ids', message })));
    }
    const saved = await database.transaction((em) =>
      saveRaidSettings(em, guildId, {
        enabled: body.enabled,
        joinThreshold: body.join_threshold,
        joinWindowSeconds: body.join_window_seconds,
        youngAccountDays: body.young_account_days,
        channelIds: body.channel_ids,
        alertChannelId: body.alert_channel_id,
        startLevel: body.start_level,
        slowmodeSeconds: body.slowmode_seconds,
        raisedVerificationLevel: body.raised_verification_level,
        quietMinutes: body.quiet_minutes,
        joinAction: body.join_action,
        joinTimeoutMinutes: body.join_timeout_minutes,
        spam: body.spam,
        screening: body.screening,
      }),
    );
    await raidRulebook(database).reload();
    response.json(settingsJson(saved));
  });

  router.get(`${GUILD_PATH}/raid/lockdown`, async (_request, response) => {
    const guildId = callerOf(response).guildId;
    try {
      const handle = temporal.workflow.getHandle(lockdownWorkflowId(guildId));
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') throw new WorkflowNotFoundError('not running', lockdownWorkflowId(guildId), undefined);
      response.json({ active: true, ...(await handle.query(lockdownStatus)) });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      response.json({ active: false });
    }
  });

  return router;
}

function settingsJson(settings: RaidSettingsInput) {
  return {
    enabled: settings.enabled,
    join_threshold: settings.joinThreshold,
    join_window_seconds: settings.joinWindowSeconds,
    young_account_days: settings.youngAccountDays,
    channel_ids: settings.channelIds,
    alert_channel_id: settings.alertChannelId,
    start_level: settings.startLevel,
    slowmode_seconds: settings.slowmodeSeconds,
    raised_verification_level: settings.raisedVerificationLevel,
    quiet_minutes: settings.quietMinutes,
    join_action: settings.joinAction,
    join_timeout_minutes: settings.joinTimeoutMinutes,
    spam: settings.spam,
    screening: settings.screening,
  };
}
