// The digest HTTP API under /api/v1/guilds/:guildId/digest: its settings (checked as /config checks them, the
// Schedule following), its status (the Schedule's next and recent runs), pause and resume, and a preview that
// returns this week's digest as Discord messages without posting it.
import type { REST } from '@discordjs/rest';
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import type { FlowStarter } from '../../../temporal/start-flow.js';
import type { Client } from '@temporalio/client';
import { applyDigestSettings, digestStatus, previewDigest, setDigestPaused, type DigestControl } from '../control.js';
import type { DigestsEnv } from '../env.js';
import { DEFAULT_DIGEST_SETTINGS, digestSettingsSchema, type DigestSettings } from '../settings.js';

const shape = digestSettingsSchema.shape;
const d = DEFAULT_DIGEST_SETTINGS;
/** PUT replaces: what the body leaves out goes back to its default. */
const settingsBody = z.strictObject({
  enabled: shape.enabled.default(d.enabled),
  channel_id: shape.channelId.default(null),
  day_of_week: shape.dayOfWeek.default(d.dayOfWeek),
  hour: shape.hour.default(d.hour),
  time_zone: shape.timeZone.default(d.timeZone),
  llm_summary: shape.llmSummary.default(d.llmSummary),
  alert_channel_id: shape.alertChannelId.default(null),
});

export function digestApiRoutes({ database, flows, temporal, discord, env }: { database: Database; flows: FlowStarter; temporal: Client; discord?: REST | undefined; env: DigestsEnv }): Router {
  const router = Router();
  const base = `${GUILD_PATH}/digest`;
  const control: DigestControl = { database, flows, discord, scheduling: { client: temporal, taskQueue: flows.taskQueue, intervalSeconds: env.intervalSeconds } };

  router.get(base, async (_request, response) => {
    const status = await digestStatus(control, callerOf(response).guildId);
    response.json({ settings: settingsJson(status.settings), schedule: status.schedule && { paused: status.schedule.paused, note: status.schedule.note, next_runs: status.schedule.nextRuns, recent_runs: status.schedule.recentRuns.map((run) => ({ scheduled_at: run.scheduledAt, workflow_id: run.workflowId })) } });
  });

  router.put(`${base}/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const settings = parseBody(digestSettingsSchema, {
      enabled: body.enabled,
      channelId: body.channel_id,
      dayOfWeek: body.day_of_week,
      hour: body.hour,
      timeZone: body.time_zone,
      llmSummary: body.llm_summary,
      alertChannelId: body.alert_channel_id,
    });
    const applied = await applyDigestSettings(control, callerOf(response).guildId, settings);
    if ('problem' in applied) throw new HttpError(400, 'invalid_body', applied.problem, [{ path: 'channel_id', message: applied.problem }]);
    response.json(settingsJson(applied.saved));
  });

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    router.post(`${base}/${action}`, async (_request, response) => {
      const { guildId, name } = callerOf(response);
      if (!(await setDigestPaused(control, guildId, paused, `the HTTP API (${name})`))) throw new HttpError(409, 'digest_off', 'The weekly digest is off: turn it on first.');
      response.json({ paused });
    });
  }

  router.post(`${base}/preview`, async (_request, response) => {
    const outcome = await previewDigest(control, callerOf(response).guildId, `api-${String(response.getHeader('x-request-id'))}`, { kind: 'return' });
    response.json(outcome);
  });

  return router;
}

function settingsJson(settings: DigestSettings) {
  return { enabled: settings.enabled, channel_id: settings.channelId, day_of_week: settings.dayOfWeek, hour: settings.hour, time_zone: settings.timeZone, llm_summary: settings.llmSummary, alert_channel_id: settings.alertChannelId };
}
