// The approvals HTTP API under /api/v1/guilds/:guildId: the server's approval rules, new requests (from other
// systems: a request names its case, so a retried call never posts a second card), and the pending list.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { approvalActionSchema } from '../action-schema.js';
import { approvalMembers, approvalSummary, approvalWorkflowId, type ApprovalRequestInput } from '../../../../workflows/approvals/messages.js';
import { requestApproval } from '../../../../workflows/approvals/approval-workflow.js';
import type { REST } from '@discordjs/rest';
import type { Database } from '../../../db/database.js';
import { unreachableQuorum } from '../approver-count.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import type { FlowStarter } from '../../../temporal/start-flow.js';
import { approvalSettings, pendingRequests, saveApprovalSettings } from '../store/approvals.js';
import type { ApprovalRequest, ApprovalSettings } from '../store/entities.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord snowflake (17–20 digits)');
const caseId = z.string().regex(/^[\w.-]{1,40}$/, 'letters, digits, "_", "." or "-", at most 40');
/** How long approvers have: from 5 seconds (tests, drills) to a week. */
const seconds = z.number().int().min(5).max(7 * 86_400);

const settingsBody = z.strictObject({
  channel_id: snowflake,
  approver_role_ids: z.array(snowflake).min(1).max(25),
  quorum: z.number().int().min(1).max(10).default(1),
  allow_self_approval: z.boolean().default(false),
  timeout_seconds: z.strictObject({ ban: seconds, kick: seconds, timeout: seconds }).partial().default({}),
  auto_approve_types: z.array(z.literal('timeout')).default([]),
  alert_channel_id: snowflake.nullable().default(null),
  /** A Telegram chat (a group's id is negative) that gets each request with Approve and Reject buttons. */
  telegram_chat_id: z.string().regex(/^-?\d{1,19}$/, 'a Telegram chat id').nullable().default(null),
  alert_after_seconds: seconds.default(3600),
});

const actionBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('timeout'), duration_seconds: z.number().int() }),
  z.strictObject({ type: z.literal('kick') }),
  z.strictObject({ type: z.literal('ban'), delete_message_seconds: z.number().int().optional() }),
]);

const requestBody = z.strictObject({
  case_id: caseId.optional(),
  action: actionBody,
  target_id: snowflake,
  // Discord's audit-log reason is at most 512 characters.
  reason: z.string().trim().min(1).max(512),
  evidence: z
    .array(z.strictObject({ url: z.url({ protocol: /^https?$/ }).optional(), excerpt: z.string().trim().min(1).max(300).optional() }))
    .max(10)
    .default([]),
  requester_id: snowflake.optional(),
});

export interface ApprovalsApiDependencies {
  database: Database;
  flows: FlowStarter;
  /** To check that a quorum can be met. */
  discord?: REST;
}

/** Mounted by the platform behind the server's API-token check (guildApi). */
export function approvalsApiRoutes({ database, flows, discord }: ApprovalsApiDependencies): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/approvals/settings`, async (_request, response) => {
    const settings = await approvalSettings(database.fork(), callerOf(response).guildId);
    if (!settings) throw new HttpError(404, 'approvals_not_configured', 'Approvals are not set up in this server.');
    response.json(settingsJson(settings));
  });

  router.put(`${GUILD_PATH}/approvals/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const guildId = callerOf(response).guildId;
    const unreachable = await unreachableQuorum(discord, guildId, body.approver_role_ids, body.quorum);
    if (unreachable) throw new HttpError(422, 'quorum_unreachable', unreachable, [{ path: 'quorum', message: unreachable }]);
    const saved = await database.transaction((em) =>
      saveApprovalSettings(em, guildId, {
        channelId: body.channel_id,
        approverRoleIds: body.approver_role_ids,
        quorum: body.quorum,
        allowSelfApproval: body.allow_self_approval,
        timeoutSeconds: body.timeout_seconds,
        autoApproveTypes: body.auto_approve_types,
        alertChannelId: body.alert_channel_id,
        telegramChatId: body.telegram_chat_id,
        alertAfterSeconds: body.alert_after_seconds,
      }),
    );
    response.json(settingsJson(saved));
  });

  router.post(`${GUILD_PATH}/approvals`, async (request, response) => {
    const caller = callerOf(response);
    const body = parseBody(requestBody, request.body);
    const action = approvalActionSchema.safeParse(
      body.action.type === 'timeout'
        ? { type: 'timeout', durationSeconds: body.action.duration_seconds }
        : body.action.type === 'ban' && body.action.delete_message_seconds !== undefined
          ? { type: 'ban', deleteMessageSeconds: body.action.delete_message_seconds }
          : { type: body.action.type },
    );
    if (!action.success) {
      throw new HttpError(400, 'invalid_body', 'The request body is invalid.', [
        { path: 'action', message: 'a timeout lasts 60 s to 28 days; a ban deletes at most 7 days of messages' },
      ]);
    }
    if (!(await approvalSettings(database.fork(), caller.guildId))) {
      throw new HttpError(409, 'approvals_not_configured', 'Set up approvals first: PUT approvals/settings.');
    }
    const input: ApprovalRequestInput = {
      guildId: caller.guildId,
      caseId: body.case_id ?? randomUUID(),
      action: action.data,
      targetId: body.target_id,
      reason: body.reason,
      evidence: body.evidence,
      requester: body.requester_id ? { kind: 'member', userId: body.requester_id } : { kind: 'system', name: caller.name },
    };
    const workflowId = approvalWorkflowId(caller.guildId, input.caseId);
    const { started } = await flows.start(requestApproval, {
      workflowId,
      args: [input],
      kind: 'approval',
      guildId: caller.guildId,
      summary: approvalSummary(input),
      memberIds: approvalMembers(input),
    });
    response.status(started ? 202 : 200).json({ case_id: input.caseId, workflow_id: workflowId, started });
  });

  router.get(`${GUILD_PATH}/moderation/pending`, async (_request, response) => {
    const pending = await pendingRequests(database.fork(), callerOf(response).guildId);
    response.json({ pending: pending.map(requestJson) });
  });

  return router;
}

function settingsJson(settings: ApprovalSettings) {
  return {
    channel_id: settings.channelId,
    approver_role_ids: settings.approverRoleIds,
    quorum: settings.quorum,
    allow_self_approval: settings.allowSelfApproval,
    timeout_seconds: settings.timeoutSeconds,
    auto_approve_types: settings.autoApproveTypes,
    alert_channel_id: settings.alertChannelId ?? null,
    telegram_chat_id: settings.telegramChatId ?? null,
    alert_after_seconds: settings.alertAfterSeconds,
  };
}

function requestJson(request: ApprovalRequest) {
  return {
    case_id: request.caseId,
    action: request.action,
    target_id: request.targetId,
    reason: request.reason,
    requester_id: request.requesterId ?? null,
    created_at: request.createdAt.toISOString(),
  };
}
