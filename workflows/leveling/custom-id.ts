// The leaderboard's page buttons: `leaderboard:page:<guild>:<page>` (pages from 0).
import { defineCustomIds } from '../shared/custom-id.js';

export interface LeaderboardPage {
  guildId: string;
  page: number;
}

export const leaderboardCustomIds = defineCustomIds({
  flow: 'leaderboard',
  actions: ['page'],
  writeKey: ({ guildId, page }: LeaderboardPage) => `${guildId}:${page}`,
  readKey(text): LeaderboardPage | undefined {
    const [guildId, page, ...rest] = text.split(':');
    if (!guildId || !/^\d{17,20}$/.test(guildId) || !page || !/^\d{1,6}$/.test(page) || rest.length > 0) return undefined;
    return { guildId, page: Number(page) };
  },
});
