// The lockdown alert card's buttons: `lockdown:<lift|extend|escalate>:<guild>`. The key is the lockdown workflow's id
// without its prefix (one lockdown per server).
import { defineCustomIds } from '../shared/custom-id.js';

export const lockdownCustomIds = defineCustomIds({
  flow: 'lockdown',
  actions: ['lift', 'extend', 'escalate'],
  writeKey: (guildId: string) => guildId,
  readKey: (text): string | undefined => (/^\d{17,20}$/.test(text) ? text : undefined),
});
