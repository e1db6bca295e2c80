// The feedback review card's buttons: `feedback:<approve|reject>:<guild>:<key>`, the key being the feedback's id
// in the store without its server (an interaction id, or a reaction's `r-<message>-<member>-<sign>`).
import { defineCustomIds } from '../shared/custom-id.js';

export interface FeedbackKey {
  guildId: string;
  key: string;
}

export const feedbackReviewCustomIds = defineCustomIds({
  flow: 'feedback',
  actions: ['approve', 'reject'],
  writeKey: ({ guildId, key }: FeedbackKey) => `${guildId}:${key}`,
  readKey(text): FeedbackKey | undefined {
    const [guildId, key, ...rest] = text.split(':');
    if (!guildId || !/^\d{17,20}$/.test(guildId) || !key || !/^[\w-]{1,60}$/.test(key) || rest.length > 0) return undefined;
    return { guildId, key };
  },
});

export function feedbackIdOf({ guildId, key }: FeedbackKey): string {
  return `${guildId}:${key}`;
}

export function feedbackKeyOf(feedbackId: string): FeedbackKey {
  const [guildId, key] = feedbackId.split(':') as [string, string];
  return { guildId, key };
}
