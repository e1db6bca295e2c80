// The lockdown alert card's buttons, `lockdown:<lift|extend|escalate|bans>:<guild>` (the key is the lockdown workflow's id
// without its prefix: one lockdown per server), and the screening gate's Verify button and its question's modal,
// `screening:<verify|answer>:<guild>` (the member is the one who clicks).
import { defineCustomIds } from '../shared/custom-id.js';

export const lockdownCustomIds = defineCustomIds({
  flow: 'lockdown',
  actions: ['lift', 'extend', 'escalate', 'bans'],
  writeKey: (guildId: string) => guildId,
  readKey: (text): string | undefined => (/^\d{17,20}$/.test(text) ? text : undefined),
});

export const screeningCustomIds = defineCustomIds({
  flow: 'screening',
  actions: ['verify', 'answer'],
  writeKey: (guildId: string) => guildId,
  readKey: (text): string | undefined => (/^\d{17,20}$/.test(text) ? text : undefined),
});
