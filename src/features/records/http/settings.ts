// /settings: how the server's records feature behaves: its record types, where new records are announced (and
// which types), and the records site cards link to.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import { recordTypesSchema } from '../record-types.js';
import { recordSettings, updateRecordSettings, type GuildRecordSettings } from '../store/settings.js';
import { parseBody } from '../../../http/errors.js';
import { discordWebhookUrl } from '../../../discord/webhook-url.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord channel id');

/** A notification webhook must be Discord's own (https), or on the Discord API Steward is configured to use. */
function settingsBodyFor(webhookOrigins: readonly string[]) {
  const webhookUrl = z
    .string()
    .refine((text) => discordWebhookUrl(text, webhookOrigins) !== undefined, 'a Discord webhook URL (https://discord.com/api/webhooks/…)');
  return z
    .strictObject({
      record_types: recordTypesSchema.nullable(),
      notification_channel_id: snowflake.nullable(),
      notification_webhook_url: webhookUrl.nullable(),
      notify_types: z.array(z.string().min(1)).nullable(),
      records_url: z.url({ protocol: /^https?$/ }).nullable(),
    })
    .partial();
}

function settingsJson(settings: GuildRecordSettings) {
  return {
    record_types: settings.recordTypes,
    notification_channel_id: settings.notificationChannelId,
    notification_webhook_url: settings.notificationWebhookUrl,
    notify_types: settings.notifyTypes,
    records_url: settings.recordsUrl,
  };
}

export function settingsRoutes(database: Database, webhookOrigins: readonly string[]): Router {
  const settingsBody = settingsBodyFor(webhookOrigins);
  const router = Router();

  router.get(`${GUILD_PATH}/settings`, async (_request, response) => {
    response.json(settingsJson(await recordSettings(database.fork(), callerOf(response).guildId)));
  });

  /** A partial update: fields left out keep their value; `null` resets one (record types: to the defaults). */
  router.patch(`${GUILD_PATH}/settings`, async (request, response) => {
    const patch = parseBody(settingsBody, request.body);
    const { guildId } = callerOf(response);
    const saved = await database.transaction(async (em) => {
      await updateRecordSettings(em, guildId, {
        recordTypes: patch.record_types,
        notificationChannelId: patch.notification_channel_id,
        notificationWebhookUrl: patch.notification_webhook_url,
        notifyTypes: patch.notify_types,
        recordsUrl: patch.records_url,
      });
      return recordSettings(em, guildId);
    });
    response.json(settingsJson(saved));
  });

  return router;
}
