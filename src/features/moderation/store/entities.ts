// The moderation ladder's store: each server's settings, its numbered cases, each member's decaying points, and
// the counter that numbers cases.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Evidence } from '../../../../workflows/approvals/messages.js';
import type { Rung } from '../../../../workflows/moderation/ladder.js';
import type { AutomodRules } from '../../../../workflows/moderation/automod.js';

export const ModerationSettingsSchema = defineEntity({
  name: 'ModerationSettings',
  tableName: 'moderation_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** Besides members with Discord's own permission for a command, these roles may moderate. */
    moderatorRoleIds: p.json<string[]>(),
    /** Kick and ban by members with these roles apply at once; everyone else's go through approval. */
    directActionRoleIds: p.json<string[]>(),
    ladder: p.json<Rung[]>(),
    /** One warning point is forgiven per this many seconds. */
    decayIntervalSeconds: p.integer().default(604_800),
    /** The role `/mute` gives; muting is refused until it is set. */
    muteRoleId: p.string().length(20).nullable(),
    automod: p.json<AutomodRules>(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type ModerationSettings = InferEntity<typeof ModerationSettingsSchema>;

export interface ReasonAmendment {
  reason: string;
  by: string;
  at: string;
}

export interface TimelineEntry {
  at: number;
  what: string;
}

export const ModerationCaseSchema = defineEntity({
  name: 'ModerationCase',
  tableName: 'moderation_cases',
  uniques: [{ properties: ['guildId', 'number'] }],
  indexes: [{ properties: ['guildId', 'targetId'] }],
  properties: {
    /** `<guild>:<key>`: the cause (interaction, audit log entry, message) makes a retried request one case. */
    id: p.string().length(120).primary(),
    guildId: p.string().length(20),
    number: p.integer(),
    kind: p.string().length(10),
    targetId: p.string().length(20),
    moderatorId: p.string().length(20).nullable(),
    source: p.string().length(10),
    reason: p.string().length(512),
    /** Earlier reasons, each with who replaced it and when. */
    reasonHistory: p.json<ReasonAmendment[]>(),
    evidence: p.json<Evidence[]>(),
    points: p.decimal('number').precision(10).scale(4).default(0),
    /** A warning's member balance right after its points were added, so a retried addition answers the same. */
    balanceAfter: p.decimal('number').precision(10).scale(4).nullable(),
    durationSeconds: p.integer().nullable(),
    expiresAt: p.datetime().nullable(),
    status: p.string().length(12),
    /** What happened, step by step, for cases that unfold over time (a lockdown). */
    timeline: p.json<TimelineEntry[]>().nullable(),
    /** The approval request it waits on, for kicks and bans that need one. */
    approvalCaseId: p.string().length(40).nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type ModerationCase = InferEntity<typeof ModerationCaseSchema>;

export const MemberPointsSchema = defineEntity({
  name: 'MemberPoints',
  tableName: 'moderation_member_points',
  properties: {
    guildId: p.string().length(20).primary(),
    memberId: p.string().length(20).primary(),
    /** The balance as of `balanceAt`; it decays from there. */
    balance: p.decimal('number').precision(12).scale(6),
    balanceAt: p.datetime(),
  },
});
export type MemberPoints = InferEntity<typeof MemberPointsSchema>;

/** The last case number given in each server: cases are numbered 1, 2, 3… per server with no gaps from races. */
export const CaseCounterSchema = defineEntity({
  name: 'CaseCounter',
  tableName: 'moderation_case_counters',
  properties: {
    guildId: p.string().length(20).primary(),
    last: p.integer(),
  },
});
export type CaseCounter = InferEntity<typeof CaseCounterSchema>;
