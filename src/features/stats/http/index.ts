// GET /api/v1/guilds/:guildId/stats?days=7: the server's days (messages, commands, joins, leaves, active members)
// and their totals, as /stats shows them.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { parseRequestPart } from '../../../http/request.js';
import { lastDays } from '../stats-command.js';
import { busiestChannels, dailyStats } from '../store/counters.js';

const query = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(7) });

export function statsApiRoutes({ database }: { database: Database }): Router {
  const router = Router();
  router.get(`${GUILD_PATH}/stats`, async (request, response) => {
    const { days: span } = parseRequestPart('query', query, request.query);
    const { guildId } = callerOf(response);
    const { from, to } = lastDays(span);
    const days = await dailyStats(database.fork(), guildId, from, to);
    const channels = await busiestChannels(database.fork(), guildId, new Date(`${from}T00:00:00Z`), new Date(Date.now() + 3_600_000));
    const total = (name: 'messages' | 'commands' | 'joins' | 'leaves') => days.reduce((sum, day) => sum + day[name], 0);
    response.json({
      from,
      to,
      totals: { messages: total('messages'), commands: total('commands'), joins: total('joins'), leaves: total('leaves') },
      days: days.map((day) => ({ day: day.day, messages: day.messages, commands: day.commands, joins: day.joins, leaves: day.leaves, active_members: day.activeMembers })),
      busiest_channels: channels.map((channel) => ({ channel_id: channel.channelId, messages: channel.messages })),
    });
  });
  return router;
}
