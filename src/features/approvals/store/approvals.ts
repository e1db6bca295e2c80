// The approvals store: each server's rules, the requests and the moderation log, through the ORM.
import type { EntityManager } from '../../../db/database.js';
import type { ApprovalRequestInput, ApprovalRules } from '../../../../workflows/approvals/messages.js';
import { isDestructive, type ActionType } from '../../../../workflows/approvals/actions.js';
import { ApprovalRequestSchema, ApprovalSettingsSchema, ModerationLogSchema, type ApprovalRequest, type ApprovalSettings } from './entities.js';

export const DEFAULT_TIMEOUT_SECONDS = 3_600;

export type ApprovalSettingsInput = Omit<ApprovalSettings, 'guildId' | 'updatedAt'>;

export async function approvalSettings(em: EntityManager, guildId: string): Promise<ApprovalSettings | null> {
  return em.findOne(ApprovalSettingsSchema, { guildId });
}

export async function saveApprovalSettings(em: EntityManager, guildId: string, settings: ApprovalSettingsInput): Promise<ApprovalSettings> {
  await em.upsert(ApprovalSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return em.findOneOrFail(ApprovalSettingsSchema, { guildId }, { refresh: true });
}

/** The rules a request of this type runs under, or undefined when the server has not set approvals up. */
export function rulesFor(settings: ApprovalSettings, actionType: ActionType): ApprovalRules {
  const onTimeout = settings.autoApproveTypes.includes(actionType) && !isDestructive(actionType) ? 'approve' : 'expire';
  return {
    channelId: settings.channelId,
    approverRoleIds: settings.approverRoleIds,
    quorum: settings.quorum,
    allowSelfApproval: settings.allowSelfApproval,
    timeoutSeconds: settings.timeoutSeconds[actionType] ?? DEFAULT_TIMEOUT_SECONDS,
    onTimeout,
    ...(settings.alertChannelId ? { alert: { channelId: settings.alertChannelId, afterSeconds: settings.alertAfterSeconds } } : {}),
    ...(settings.telegramChatId ? { telegramChatId: settings.telegramChatId } : {}),
  };
}

export async function saveApprovalRequest(
  em: EntityManager,
  { request, workflowId, status, cardMessageId }: { request: ApprovalRequestInput; workflowId: string; status: string; cardMessageId: string | null },
): Promise<void> {
  await em.upsert(
    ApprovalRequestSchema,
    {
      id: workflowId,
      guildId: request.guildId,
      caseId: request.caseId,
      action: request.action,
      targetId: request.targetId,
      reason: request.reason,
      requesterId: request.requester.kind === 'member' ? request.requester.userId : null,
      status,
      cardMessageId,
      updatedAt: new Date(),
    },
    { onConflictFields: ['id'], onConflictExcludeFields: ['createdAt'], disableIdentityMap: true },
  );
}

export async function pendingRequests(em: EntityManager, guildId: string): Promise<ApprovalRequest[]> {
  return em.find(ApprovalRequestSchema, { guildId, status: 'pending' }, { orderBy: { createdAt: 'asc' } });
}

export interface ModerationLogInput {
  id: string;
  guildId: string;
  caseId: string;
  kind: string;
  actorId?: string;
  targetId: string;
  detail: Record<string, unknown>;
}

/** Idempotent by the entry's id. */
export async function logModeration(em: EntityManager, entry: ModerationLogInput): Promise<void> {
  await em
    .createQueryBuilder(ModerationLogSchema)
    .insert({ ...entry, actorId: entry.actorId ?? null })
    .onConflict('id')
    .ignore()
    .execute('run');
}

/** Whether an action about this member was executed after `since` under another case: that newer decision wins. */
export async function newerExecution(em: EntityManager, guildId: string, targetId: string, caseId: string, since: Date): Promise<boolean> {
  const count = await em.count(ModerationLogSchema, { guildId, targetId, kind: 'execution', caseId: { $ne: caseId }, createdAt: { $gt: since } });
  return count > 0;
}

export async function findApprovalRequest(em: EntityManager, workflowId: string): Promise<ApprovalRequest | null> {
  return em.findOne(ApprovalRequestSchema, { id: workflowId });
}

/** Deletes log entries older than `before`; returns how many. */
export async function purgeModerationLog(em: EntityManager, before: Date): Promise<number> {
  return em.nativeDelete(ModerationLogSchema, { createdAt: { $lt: before } });
}
