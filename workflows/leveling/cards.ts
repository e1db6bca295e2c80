// What XP shows in Discord: a member's rank and a leaderboard page with its buttons.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord-api-types/payloads/v10';
import { leaderboardCustomIds } from './custom-id.js';

export interface StandingView {
  userId: string;
  xp: number;
  level: number;
  messages: number;
  place: number;
}

export function renderRank(standing: StandingView, progress: { intoLevel: number; nextLevelCost: number }, members: number): APIEmbed {
  const filled = progress.nextLevelCost ? Math.round((progress.intoLevel / progress.nextLevelCost) * 20) : 20;
  return {
    title: `Level ${standing.level}`,
    description: [
      `<@${standing.userId}> is #${standing.place} of ${members} with ${standing.xp.toLocaleString('en')} XP.`,
      progress.nextLevelCost ? `\`${'█'.repeat(filled)}${'░'.repeat(20 - filled)}\` ${progress.intoLevel}/${progress.nextLevelCost} XP to level ${standing.level + 1}` : 'The top level.',
    ].join('\n'),
    footer: { text: `${standing.messages.toLocaleString('en')} messages counted` },
  };
}

export function renderLeaderboard(guildId: string, page: number, entries: readonly StandingView[], total: number, pageSize: number): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const lines = entries.map((entry) => `**#${entry.place}** <@${entry.userId}> · level ${entry.level} · ${entry.xp.toLocaleString('en')} XP`);
  const button = (label: string, target: number, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: leaderboardCustomIds.encode('page', { guildId, page: target }),
    disabled,
  });
  return {
    embeds: [{ title: 'Leaderboard', description: lines.length ? lines.join('\n') : 'Nobody has earned XP yet.', footer: { text: `Page ${page + 1} of ${pages}` } }],
    // Previous points at most to page 0 and Next always one further, so the two never share a custom_id (which
    // Discord refuses) even when both are disabled.
    components: [{ type: ComponentType.ActionRow, components: [button('◀ Previous', Math.max(0, page - 1), page === 0), button('Next ▶', page + 1, page >= pages - 1)] }],
  };
}
