// Volunteer engagement's messages: what the adapter, the HTTP API and the workflows exchange, and the workflow ids
// that make each thing happen once (a feedback per interaction or reaction, a recognition per interaction, a
// celebration per threshold, an introduction per match).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Badge, Level } from './vis.js';
import type { MilestoneMetric } from './milestones.js';

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const FEEDBACK_LENGTH = { min: 10, max: 500 } as const;
export const ACHIEVEMENT_LENGTH = { min: 10, max: 200 } as const;

/** Q2Q's five outcome dimensions, each a score from 0 to 1. */
export const DIMENSIONS = ['confidence', 'belonging', 'lang_level_proxy', 'job_readiness', 'well_being'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The five scores, each from 0 to 1 (activities/engagement/q2q.ts checks them before anything stores them). */
export type OutcomeScores = Record<Dimension, number>;

export interface FeedbackAnalysis {
  scores: OutcomeScores;
  /** Whatever else the analyst returned (Q2Q's labels, the model's themes). */
  labels: unknown;
  /** `q2q`, or the LLM provider that stood in for it. */
  analysedBy: string;
  model?: string;
  analysedAt: string;
}

export interface FeedbackInput {
  guildId: string;
  /** `<guild>:<key>`, the feedback's id in the store. */
  feedbackId: string;
  trackingId: string;
  userId: string;
  kind: 'command' | 'reaction';
  text: string;
  sentiment: Sentiment | null;
  channelId: string | null;
}

export type ReviewVerdict = 'approved' | 'rejected' | 'expired' | 'not_required';

export interface ReviewDecision {
  reviewer: { userId: string; roleIds: string[]; permissions: string };
  verdict: 'approve' | 'reject';
}

export interface FeedbackStatus {
  trackingId: string;
  analysis: 'pending' | 'analysed' | 'deferred' | 'skipped';
  analysedBy?: string;
  review: 'pending' | ReviewVerdict;
  reviewerId?: string;
  shared: boolean;
}

export const reviewFeedback = defineUpdate<FeedbackStatus, [ReviewDecision]>('reviewFeedback');
export const feedbackStatus = defineQuery<FeedbackStatus>('feedbackStatus');

/** The failure type of a review the feedback will not take; its message is what the reviewer reads. */
export const REVIEW_REFUSED = 'ReviewRefused';

export function feedbackWorkflowId(feedbackId: string): string {
  return `feedback:${feedbackId}`;
}

/** Each level's Discord role, where the server chose one. */
export type LevelRoleIds = Partial<Record<Level, string>>;

export interface RecognitionInput {
  guildId: string;
  /** The /recognize interaction's id. */
  recognitionId: string;
  giverId: string;
  volunteerId: string;
  /** Where /recognize was used: the card goes there when the server has no recognition channel. */
  channelId: string;
  badge: Badge;
  achievement: string;
  /** The command's reply, which the workflow edits with the outcome. */
  reply: { applicationId: string; token: string };
}

export interface RecognitionOutcome {
  scoreBefore: number;
  scoreAfter: number;
  levelBefore: Level;
  levelAfter: Level;
  /** False when this recognition had already been counted (a retry): nothing was added twice. */
  counted: boolean;
}

export function recognitionWorkflowId(guildId: string, recognitionId: string): string {
  return `recognition:${guildId}:${recognitionId}`;
}

export interface Celebration {
  programId: string;
  programName: string;
  metric: MilestoneMetric;
  threshold: number;
}

/** One server's celebrations, claimed together from the outbox: one workflow posts them all. */
export interface CelebrationBatchInput {
  guildId: string;
  batchId: string;
  celebrations: Celebration[];
}

export function celebrationBatchWorkflowId(guildId: string, batchId: string): string {
  return `milestones:${guildId}:${batchId}`;
}

export interface BuddyMatchInput {
  guildId: string;
  matchId: string;
  memberIds: [string, string];
  programName: string | null;
  note: string | null;
}

export function buddyMatchWorkflowId(guildId: string, matchId: string): string {
  return `buddy-match:${guildId}:${matchId}`;
}

export interface PlatformAlertInput {
  guildId: string;
  alertId: string;
  title: string;
  detail: string;
  url: string | null;
}

export function platformAlertWorkflowId(guildId: string, alertId: string): string {
  return `platform-alert:${guildId}:${alertId}`;
}

/** The server's engagement settings a workflow reads once when it starts, with the worker's retry pacing. */
export interface EngagementRules {
  review: { channelId: string; reviewerRoleIds: string[]; timeoutHours: number } | null;
  recognitionChannelId: string | null;
  levelRoleIds: LevelRoleIds;
  demoteLevels: boolean;
  milestoneChannelId: string | null;
  adminAlertChannelId: string | null;
  /** The first wait before feedback no analyst could read is tried again (doubling up to six hours). */
  analysisRetrySeconds: number;
  /** A review waiting longer than this is reported in the admins' alert channel (an hour unless configured). */
  reviewAlertSeconds: number;
}
