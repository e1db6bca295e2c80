// /stats: the server's last 7 or 30 days (messages, members active, joins and leaves, commands used) as a chart
// image and the totals. A read: deferred at once, then the query and the chart (tens of milliseconds).
import { ApplicationCommandOptionType, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { renderDailyChart } from '../../charts/daily-chart.js';
import type { Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { busiestChannels, dailyStats, type DayStats } from './store/counters.js';

export const statsCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'stats',
    description: "This server's activity: messages, active members, joins and leaves",
    contexts: [0],
    options: [{ type: ApplicationCommandOptionType.Integer, name: 'days', description: 'How far back (default 7)', choices: [{ name: 'last 7 days', value: 7 }, { name: 'last 30 days', value: 30 }] }],
  },
  async execute(interaction, respond, { database }) {
    const guildId = interaction.guild_id;
    if (!guildId) return respond.acknowledge(ephemeralMessage('Statistics are kept per server.'));
    await respond.acknowledge(deferEphemeral);
    const span = new CommandOptions(interaction).integer('days') ?? 7;
    const { from, to } = lastDays(span);
    const days = await dailyStats(database.fork(), guildId, from, to);
    const channels = await busiestChannels(database.fork(), guildId, new Date(`${from}T00:00:00Z`), new Date(Date.now() + 3_600_000), 3);
    const chart = await renderDailyChart({
      title: `Last ${span} days`,
      days: days.map((day) => day.day),
      series: [
        { name: 'Messages', kind: 'bar', values: days.map((day) => day.messages) },
        { name: 'Active members', kind: 'line', values: days.map((day) => day.activeMembers) },
        { name: 'Joins', kind: 'bar', values: days.map((day) => day.joins) },
        { name: 'Leaves', kind: 'bar', values: days.map((day) => day.leaves) },
      ],
    });
    await respond.editOriginal(
      {
        embeds: [{ title: `Activity, last ${span} days`, description: summary(days, channels), image: { url: 'attachment://stats.png' } }],
        attachments: [{ id: 0, filename: 'stats.png' }],
        allowed_mentions: { parse: [] },
      },
      [{ name: 'stats.png', data: chart, contentType: 'image/png' }],
    );
  },
};

/** The UTC days ending today. */
export function lastDays(span: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (span - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

function summary(days: readonly DayStats[], channels: readonly { channelId: string; messages: number }[]): string {
  const total = (name: keyof Omit<DayStats, 'day'>) => days.reduce((sum, day) => sum + day[name], 0).toLocaleString('en');
  const busiest = Math.max(...days.map((day) => day.activeMembers));
  return [
    `**${total('messages')}** messages · **${total('commands')}** commands`,
    `**${total('joins')}** joined · **${total('leaves')}** left · up to **${busiest.toLocaleString('en')}** members active a day`,
    channels.length ? `Busiest: ${channels.map((channel) => `<#${channel.channelId}> (${channel.messages.toLocaleString('en')})`).join(', ')}` : 'No messages yet.',
  ].join('\n');
}
