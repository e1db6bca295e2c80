// Weekly digests' store: each server's digest settings, the members who get it by DM, and each part of each week's
// digest as posted (so a retried or repeated run never posts a part twice).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const DigestSettingsSchema = defineEntity({
  name: 'DigestSettings',
  tableName: 'digest_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    enabled: p.boolean().default(false),
    channelId: p.string().length(20).nullable(),
    /** 0 Sunday … 6 Saturday, as Temporal's calendars count them. */
    dayOfWeek: p.integer().default(1),
    hour: p.integer().default(9),
    timeZone: p.string().length(64).default('UTC'),
    llmSummary: p.boolean().default(false),
    alertChannelId: p.string().length(20).nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type DigestSettingsRow = InferEntity<typeof DigestSettingsSchema>;

export const DigestSubscriptionSchema = defineEntity({
  name: 'DigestSubscription',
  tableName: 'digest_subscriptions',
  properties: {
    guildId: p.string().length(20).primary(),
    userId: p.string().length(20).primary(),
    subscribedAt: p.datetime().defaultRaw('now()'),
  },
});

export const DigestPostSchema = defineEntity({
  name: 'DigestPost',
  tableName: 'digest_posts',
  properties: {
    guildId: p.string().length(20).primary(),
    /** The week's end (the Schedule's nominal time), ISO. */
    periodEnd: p.string().length(30).primary(),
    /** `channel:<part>` for the digest channel, `dm:<user>:<part>` for a subscriber. */
    target: p.string().length(40).primary(),
    messageId: p.string().length(20),
    postedAt: p.datetime().defaultRaw('now()'),
  },
});
export type DigestPost = InferEntity<typeof DigestPostSchema>;
