// Records and what they are linked to: their source Discord messages, the subject catalogue, maintainers and the
// links from Discord users to maintainers, the reviews, and per-server settings. Ids are chosen by the writer
// (workflow or API), so writes are idempotent.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const RecordSchema = defineEntity({
  name: 'Record',
  tableName: 'records',
  properties: {
    id: p.string().length(64).primary(),
    guildId: p.string().length(20).index(),
    recordType: p.string().length(50),
    description: p.string().length(1000),
    subjectId: p.string().length(64).nullable(),
    parentId: p.string().length(64).nullable().index(),
    authorDiscordId: p.string().length(20).nullable(),
    maintainerId: p.string().length(64).nullable(),
    /** When the recorded thing happened: the latest source message's time, or the API caller's. */
    occurredAt: p.datetime(),
    /** `discord` (a review) or `api`; notifications are not echoed back to where a record came from. */
    origin: p.string().length(16).$type<'discord' | 'api'>(),
    /** Who confirmed it: the reviewing member, or the API token's name. */
    createdBy: p.string().length(100),
    /** One record per key: `review:<guild>:<message>:<step>` or the API caller's Idempotency-Key. */
    idempotencyKey: p.string().length(200).unique(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type Record = InferEntity<typeof RecordSchema>;

export const RecordSourceSchema = defineEntity({
  name: 'RecordSource',
  tableName: 'record_sources',
  properties: {
    recordId: p.string().length(64).primary(),
    messageId: p.string().length(20).primary().index(),
    guildId: p.string().length(20),
    channelId: p.string().length(20),
  },
});
export type RecordSource = InferEntity<typeof RecordSourceSchema>;

export const SubjectSchema = defineEntity({
  name: 'Subject',
  tableName: 'subjects',
  uniques: [{ properties: ['guildId', 'name'] }],
  properties: {
    id: p.string().length(64).primary(),
    guildId: p.string().length(20).index(),
    name: p.string().length(100),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type Subject = InferEntity<typeof SubjectSchema>;

export const MaintainerSchema = defineEntity({
  name: 'Maintainer',
  tableName: 'maintainers',
  properties: {
    id: p.string().length(64).primary(),
    guildId: p.string().length(20).index(),
    name: p.string().length(100),
    aliases: p.array().default([]),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type Maintainer = InferEntity<typeof MaintainerSchema>;

export const MaintainerLinkSchema = defineEntity({
  name: 'MaintainerLink',
  tableName: 'maintainer_links',
  properties: {
    guildId: p.string().length(20).primary(),
    discordUserId: p.string().length(20).primary(),
    maintainerId: p.string().length(64),
    /** `manual` (set through the API) or `matched` (found by name during a review and remembered). */
    via: p.string().length(16).$type<'manual' | 'matched'>(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type MaintainerLink = InferEntity<typeof MaintainerLinkSchema>;

/** One row per reviewed message, kept for good: Temporal forgets closed workflow ids after its retention. */
export const RecordReviewSchema = defineEntity({
  name: 'RecordReview',
  tableName: 'record_reviews',
  uniques: [{ properties: ['guildId', 'messageId'] }],
  properties: {
    id: p.string().length(100).primary(),
    guildId: p.string().length(20),
    channelId: p.string().length(20),
    messageId: p.string().length(20),
    reviewerId: p.string().length(20),
    /** `open`, `completed`, `cancelled`, `expired`, `failed`. */
    status: p.string().length(16),
    created: p.integer().default(0),
    skipped: p.integer().default(0),
    startedAt: p.datetime().defaultRaw('now()'),
    finishedAt: p.datetime().nullable(),
  },
});
export type RecordReview = InferEntity<typeof RecordReviewSchema>;

/** Per-server settings of the records feature; a missing row means the defaults. */
export const RecordSettingsSchema = defineEntity({
  name: 'RecordSettings',
  tableName: 'record_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** Record types as JSON (RecordTypeConfig[]); null means the defaults. */
    recordTypes: p.json<unknown>().nullable(),
    notificationChannelId: p.string().length(20).nullable(),
    notificationWebhookUrl: p.string().length(300).nullable(),
    /** Record types whose creation is announced; null means all. */
    notifyTypes: p.json<string[]>().nullable(),
    recordsUrl: p.string().length(300).nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type RecordSettings = InferEntity<typeof RecordSettingsSchema>;
