// The event card's buttons, and the buttons in members' DMs: `event:<going|maybe|no|here|claim|leave>:<guild>:<event>`.
// The key is the event workflow's id without its prefix.
import { defineCustomIds } from '../shared/custom-id.js';

export interface EventKey {
  guildId: string;
  eventId: string;
}

export const eventCustomIds = defineCustomIds({
  flow: 'event',
  actions: ['going', 'maybe', 'no', 'here', 'claim', 'leave'],
  writeKey: ({ guildId, eventId }: EventKey) => `${guildId}:${eventId}`,
  readKey(text): EventKey | undefined {
    const [guildId, eventId, ...rest] = text.split(':');
    if (!guildId || !/^\d{17,20}$/.test(guildId) || !eventId || !/^[a-z0-9-]{1,40}$/.test(eventId) || rest.length > 0) return undefined;
    return { guildId, eventId };
  },
});
