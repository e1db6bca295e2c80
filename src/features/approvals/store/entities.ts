// Approvals: each server's rules, every request (so pending ones can be listed without asking Temporal), and the
// moderation log, where every request, decision and execution is kept (90 days by default).
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ApprovalAction } from '../../../../workflows/approvals/actions.js';

export const ApprovalSettingsSchema = defineEntity({
  name: 'ApprovalSettings',
  tableName: 'approval_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** Where approval cards are posted; requests are refused until it is set. */
    channelId: p.string().length(20),
    approverRoleIds: p.json<string[]>(),
    quorum: p.integer().default(1),
    allowSelfApproval: p.boolean().default(false),
    /** Seconds before a request times out, by action type; a missing type uses the default (1 hour). */
    timeoutSeconds: p.json<Record<string, number>>(),
    /** Action types approved when nobody decides in time; only non-destructive ones (timeouts) are honoured. */
    autoApproveTypes: p.json<string[]>(),
    /** Where a request still waiting after `alertAfterSeconds` is reported to the server's admins. */
    alertChannelId: p.string().length(20).nullable(),
    alertAfterSeconds: p.integer().default(3600),
    /** A Telegram chat that gets each request too, with Approve and Reject buttons. */
    telegramChatId: p.string().length(20).nullable(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type ApprovalSettings = InferEntity<typeof ApprovalSettingsSchema>;

export const ApprovalRequestSchema = defineEntity({
  name: 'ApprovalRequest',
  tableName: 'approval_requests',
  uniques: [{ properties: ['guildId', 'caseId'] }],
  properties: {
    /** The workflow id, `approval:<guild>:<case>`. */
    id: p.string().length(100).primary(),
    guildId: p.string().length(20).index(),
    caseId: p.string().length(40),
    action: p.json<ApprovalAction>(),
    targetId: p.string().length(20),
    reason: p.string().length(512),
    requesterId: p.string().length(20).nullable(),
    /** `pending`, then `executed`, `superseded`, `failed`, `rejected` or `expired`. */
    status: p.string().length(16),
    cardMessageId: p.string().length(20).nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type ApprovalRequest = InferEntity<typeof ApprovalRequestSchema>;

export const ModerationLogSchema = defineEntity({
  name: 'ModerationLogEntry',
  tableName: 'moderation_log',
  indexes: [{ properties: ['guildId', 'targetId'] }],
  properties: {
    /** Chosen by the workflow, so a retried write is one entry. */
    id: p.string().length(120).primary(),
    guildId: p.string().length(20).index(),
    caseId: p.string().length(40),
    /** `request`, `approve`, `reject`, `modify`, `escalation`, `expiry`, `auto-approval`, `execution`. */
    kind: p.string().length(20),
    actorId: p.string().length(20).nullable(),
    targetId: p.string().length(20),
    detail: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().defaultRaw('now()').index(),
  },
});
export type ModerationLogEntry = InferEntity<typeof ModerationLogSchema>;

/** A Telegram account linked to a member of a server, so decisions made in Telegram follow the member's roles. */
export const TelegramLinkSchema = defineEntity({
  name: 'TelegramLink',
  tableName: 'telegram_links',
  properties: {
    guildId: p.string().length(20).primary(),
    telegramUserId: p.string().length(20).primary(),
    discordUserId: p.string().length(20),
    linkedAt: p.datetime().defaultRaw('now()'),
  },
});
export type TelegramLink = InferEntity<typeof TelegramLinkSchema>;

/** A one-time code a member sends to the Telegram bot to link their account; only its hash is kept. */
export const TelegramLinkCodeSchema = defineEntity({
  name: 'TelegramLinkCode',
  tableName: 'telegram_link_codes',
  properties: {
    codeHash: p.string().length(64).primary(),
    guildId: p.string().length(20),
    discordUserId: p.string().length(20),
    expiresAt: p.datetime(),
  },
});
export type TelegramLinkCode = InferEntity<typeof TelegramLinkCodeSchema>;

/** The Telegram message that shows an approval request: a button pressed on it decides that request. */
export const TelegramCardSchema = defineEntity({
  name: 'TelegramCard',
  tableName: 'telegram_cards',
  uniques: [{ properties: ['chatId', 'messageId'] }],
  properties: {
    /** The approval request's workflow id. */
    workflowId: p.string().length(100).primary(),
    guildId: p.string().length(20),
    caseId: p.string().length(40),
    /** The member the request is about, for the log of refused presses. */
    targetId: p.string().length(20),
    chatId: p.string().length(20),
    messageId: p.integer(),
  },
});
export type TelegramCard = InferEntity<typeof TelegramCardSchema>;
