// Volunteer engagement's store: each server's settings, the link from a Discord member to the volunteer platform's
// user, feedback with its analysis and where it stands, VIS scores and the recognitions that made them, and the
// milestone values last seen per programme with every threshold ever celebrated (celebrated once, ever).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { FeedbackAnalysis, LevelRoleIds } from '../../../../workflows/engagement/messages.js';

export const EngagementSettingsSchema = defineEntity({
  name: 'EngagementSettings',
  tableName: 'engagement_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** Feedback waits for a reviewer's Approve before it is shared with the platform. */
    reviewEnabled: p.boolean().default(false),
    reviewChannelId: p.string().length(20).nullable(),
    reviewerRoleIds: p.json<string[]>(),
    reviewTimeoutHours: p.integer().default(72),
    /** 👍/👎 on Steward's own posts count as quick feedback. */
    reactionFeedback: p.boolean().default(true),
    recognitionChannelId: p.string().length(20).nullable(),
    /** Who may /recognize; empty: every member. */
    recognizerRoleIds: p.json<string[]>(),
    levelRoleIds: p.json<LevelRoleIds>(),
    /** A lower VIS takes the lower level's role back; off by default (a level once reached is kept). */
    demoteLevels: p.boolean().default(false),
    milestoneChannelId: p.string().length(20).nullable(),
    adminAlertChannelId: p.string().length(20).nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type EngagementSettingsRow = InferEntity<typeof EngagementSettingsSchema>;

export const VolunteerLinkSchema = defineEntity({
  name: 'VolunteerLink',
  tableName: 'volunteer_links',
  properties: {
    guildId: p.string().length(20).primary(),
    userId: p.string().length(20).primary(),
    platformUserId: p.string().length(100),
    linkedAt: p.datetime().defaultRaw('now()'),
  },
});
export type VolunteerLink = InferEntity<typeof VolunteerLinkSchema>;

export const FeedbackSchema = defineEntity({
  name: 'Feedback',
  tableName: 'feedback',
  uniques: [{ properties: ['guildId', 'trackingId'] }],
  indexes: [{ properties: ['guildId', 'createdAt'] }, { properties: ['analysisStatus'] }],
  properties: {
    /** `<guild>:<key>`: the key is the interaction's id, or the reaction's message, member and sign. */
    id: p.string().length(100).primary(),
    guildId: p.string().length(20),
    /** What the member reads on their receipt: FB-XXXXXXXX. */
    trackingId: p.string().length(16),
    userId: p.string().length(20),
    kind: p.string().length(10),
    text: p.text(),
    sentiment: p.string().length(10).nullable(),
    channelId: p.string().length(20).nullable(),
    /** received → analysed, or deferred while no analyst answers (tried again later), or skipped (a reaction). */
    analysisStatus: p.string().length(12),
    analysis: p.json<FeedbackAnalysis>().nullable(),
    /** pending_review → approved, rejected or expired; shared once the platform has it; undelivered if it refused. */
    shareStatus: p.string().length(16),
    reviewerId: p.string().length(20).nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type Feedback = InferEntity<typeof FeedbackSchema>;

export const VisScoreSchema = defineEntity({
  name: 'VisScore',
  tableName: 'vis_scores',
  properties: {
    guildId: p.string().length(20).primary(),
    userId: p.string().length(20).primary(),
    score: p.integer().default(0),
    recognitions: p.integer().default(0),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type VisScore = InferEntity<typeof VisScoreSchema>;

export const RecognitionSchema = defineEntity({
  name: 'Recognition',
  tableName: 'recognitions',
  indexes: [{ properties: ['guildId', 'volunteerId'] }],
  properties: {
    /** The /recognize interaction's id: a retried command is the same recognition. */
    id: p.string().length(20).primary(),
    guildId: p.string().length(20),
    giverId: p.string().length(20),
    volunteerId: p.string().length(20),
    badge: p.string().length(16),
    points: p.integer(),
    achievement: p.string().length(200),
    /** The volunteer's VIS before and after (points are added once, with this row). */
    scoreBefore: p.integer(),
    scoreAfter: p.integer(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type Recognition = InferEntity<typeof RecognitionSchema>;

export const MilestoneProgressSchema = defineEntity({
  name: 'MilestoneProgress',
  tableName: 'milestone_progress',
  properties: {
    guildId: p.string().length(20).primary(),
    programId: p.string().length(100).primary(),
    metric: p.string().length(12).primary(),
    value: p.double(),
    /** When the platform measured `value`: an update measured earlier is out of order, and ignored. */
    observedAt: p.datetime(),
  },
});
export type MilestoneProgress = InferEntity<typeof MilestoneProgressSchema>;

export const MilestoneCelebrationSchema = defineEntity({
  name: 'MilestoneCelebration',
  tableName: 'milestone_celebrations',
  indexes: [{ properties: ['status', 'createdAt'] }, { properties: ['batchId'] }],
  properties: {
    guildId: p.string().length(20).primary(),
    programId: p.string().length(100).primary(),
    metric: p.string().length(12).primary(),
    threshold: p.integer().primary(),
    programName: p.string().length(200),
    /** pending until its celebration workflow has started (an outbox: a crash in between is picked up later). */
    status: p.string().length(10),
    createdAt: p.datetime().defaultRaw('now()'),
    /** The batch (one workflow of one server's celebrations) that claimed this row; it names that workflow. */
    batchId: p.string().length(36).nullable(),
    claimedAt: p.datetime().nullable(),
  },
});
export type MilestoneCelebration = InferEntity<typeof MilestoneCelebrationSchema>;
