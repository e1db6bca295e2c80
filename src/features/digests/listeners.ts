// A server that removes Steward loses its digest Schedule (and its digests are turned off, so settings and
// Schedule agree if Steward comes back). GUILD_DELETE without `unavailable` is a removal; with it, an outage.
import { GatewayDispatchEvents, GatewayIntentBits, type GatewayGuildDeleteDispatchData } from 'discord-api-types/v10';
import { gatewayListener } from '../../discord/handlers.js';
import type { DigestsEnv } from './env.js';
import { deleteDigestSchedule } from './schedule.js';
import { digestSettings, saveDigestSettings } from './settings.js';

export function digestListeners(env: DigestsEnv) {
  return [
    gatewayListener<GatewayGuildDeleteDispatchData>({
      event: GatewayDispatchEvents.GuildDelete,
      intents: GatewayIntentBits.Guilds,
      async handle(guild, { database, temporal, flows, logger }) {
        if (guild.unavailable) return;
        const settings = await digestSettings(database.fork(), guild.id);
        if (settings.enabled) await database.transaction((em) => saveDigestSettings(em, guild.id, { ...settings, enabled: false }));
        const deleted = await deleteDigestSchedule({ client: temporal, taskQueue: flows.taskQueue, intervalSeconds: env.intervalSeconds }, guild.id);
        if (deleted) logger.info({ guildId: guild.id }, 'Steward left the server: its digest Schedule is deleted');
      },
    }),
  ];
}
