// The moderation HTTP API under /api/v1/guilds/:guildId: the server's moderation settings (ladder, decay, roles,
// automatic moderation), its cases, new cases from other systems (named by an idempotency key, so a retried call
// is one case), and amendments (a reason, a timed punishment's length).
import { Router } from 'express';
import { z } from 'zod';
import { approvalActionSchema } from '../../approvals/action-schema.js';
import { DEFAULT_AUTOMOD_RULES, automodRulesSchema, isValidPattern } from '../automod/rules.js';
import { DEFAULT_DECAY, DEFAULT_LADDER } from '../../../../workflows/moderation/ladder.js';
import { moderateCase } from '../../../../workflows/moderation/case-workflow.js';
import { CASE_KINDS, caseMembers, caseSummary, caseWorkflowId, punishmentSet, punishmentWorkflowId, type CaseRequest, type TimedKind } from '../../../../workflows/moderation/messages.js';
import type { Client } from '@temporalio/client';
import type { Database } from '../../../db/database.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import type { FlowStarter } from '../../../temporal/start-flow.js';
import { logModeration } from '../../approvals/store/approvals.js';
import { amendReason, casesOf, findCase, memberBalance, moderationSettings, saveModerationSettings } from '../store/cases.js';
import type { ModerationCase } from '../store/entities.js';
import { automodRulebook } from '../automod/rulebook.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord snowflake (17–20 digits)');
const reason = z.string().trim().min(1).max(512);
/** Punishments from 5 seconds (drills, tests) to a year. */
const durationSeconds = z.number().int().min(5).max(365 * 86_400);

const rungBody = z.strictObject({ points: z.number().int().min(1).max(100), action: approvalActionSchema });

const settingsBody = z.strictObject({
  moderator_role_ids: z.array(snowflake).max(25).default([]),
  direct_action_role_ids: z.array(snowflake).max(25).default([]),
  ladder: z
    .array(rungBody)
    .max(10)
    .refine((rungs) => new Set(rungs.map((rung) => rung.points)).size === rungs.length, 'each rung needs its own number of points')
    .default(DEFAULT_LADDER),
  /** One point forgiven per this many seconds: from 1 second (drills, tests) to a year. */
  decay_interval_seconds: z.number().int().min(1).max(365 * 86_400).default(DEFAULT_DECAY.intervalSeconds),
  mute_role_id: snowflake.nullable().default(null),
  automod: automodRulesSchema.default(DEFAULT_AUTOMOD_RULES),
});

const caseBody = z.strictObject({
  /** The caller's key for this case: the same key again is the same case. */
  idempotency_key: z.string().regex(/^[\w.-]{1,60}$/, 'letters, digits, "_", "." or "-", at most 60'),
  kind: z.enum(CASE_KINDS),
  target_id: snowflake,
  reason,
  moderator_id: snowflake.optional(),
  points: z.number().int().min(1).max(10).optional(),
  duration_seconds: durationSeconds.optional(),
  /** Kick and ban apply at once instead of waiting for approvers: the caller's token vouches for it. */
  direct: z.boolean().default(false),
  evidence: z
    .array(z.strictObject({ url: z.url({ protocol: /^https?$/ }).optional(), excerpt: z.string().trim().min(1).max(300).optional() }))
    .max(10)
    .default([]),
});

const amendmentBody = z
  .strictObject({ reason: reason.optional(), duration_seconds: durationSeconds.optional(), amended_by: snowflake })
  .refine((body) => body.reason !== undefined || body.duration_seconds !== undefined, 'give a reason or a duration_seconds to change');

export interface ModerationApiDependencies {
  database: Database;
  flows: FlowStarter;
  temporal: Client;
}

export function moderationApiRoutes({ database, flows, temporal }: ModerationApiDependencies): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/moderation/settings`, async (_request, response) => {
    response.json(settingsJson(await moderationSettings(database.fork(), callerOf(response).guildId)));
  });

  router.put(`${GUILD_PATH}/moderation/settings`, async (request, response) => {
    const body = parseBody(settingsBody, request.body);
    const badPattern = body.automod?.patterns.find((pattern) => !isValidPattern(pattern));
    if (badPattern !== undefined) {
      throw new HttpError(400, 'invalid_body', 'The request body is invalid.', [{ path: 'automod.patterns', message: `"${badPattern}" is not a valid regular expression` }]);
    }
    const guildId = callerOf(response).guildId;
    // PUT replaces: what the body leaves out goes back to its default.
    const saved = await database.transaction((em) =>
      saveModerationSettings(em, guildId, {
        moderatorRoleIds: body.moderator_role_ids,
        directActionRoleIds: body.direct_action_role_ids,
        ladder: body.ladder,
        decayIntervalSeconds: body.decay_interval_seconds,
        muteRoleId: body.mute_role_id,
        automod: body.automod,
      }),
    );
    // This process's pre-filter uses the new rules from the next message; other adapters' within seconds.
    await automodRulebook(database).reload();
    response.json(settingsJson(saved));
  });

  router.get(`${GUILD_PATH}/moderation/cases`, async (request, response) => {
    const member = snowflake.safeParse(request.query.member);
    if (!member.success) throw new HttpError(400, 'invalid_query', 'Give the member whose cases to list: ?member=<user id>.');
    const guildId = callerOf(response).guildId;
    const em = database.fork();
    const settings = await moderationSettings(em, guildId);
    const [cases, balance] = await Promise.all([
      casesOf(em, guildId, member.data, 100),
      memberBalance(em, guildId, member.data, new Date(), { intervalSeconds: settings.decayIntervalSeconds }),
    ]);
    response.json({ member_id: member.data, points: Math.round(balance * 100) / 100, cases: cases.map(caseJson) });
  });

  router.get(`${GUILD_PATH}/moderation/cases/:number`, async (request, response) => {
    const found = await findCase(database.fork(), callerOf(response).guildId, caseNumber(request.params.number));
    if (!found) throw new HttpError(404, 'case_not_found', 'There is no such case in this server.');
    response.json(caseJson(found));
  });

  router.post(`${GUILD_PATH}/moderation/cases`, async (request, response) => {
    const body = parseBody(caseBody, request.body);
    const guildId = callerOf(response).guildId;
    if ((body.kind === 'timeout' || body.kind === 'mute') && body.duration_seconds === undefined) {
      throw new HttpError(400, 'invalid_body', 'The request body is invalid.', [{ path: 'duration_seconds', message: `a ${body.kind} needs a duration` }]);
    }
    const key = `api:${body.idempotency_key}`;
    const workflowId = caseWorkflowId(guildId, key);
    const caseRequest: CaseRequest = {
      guildId,
      key,
      kind: body.kind,
      targetId: body.target_id,
      ...(body.moderator_id ? { moderatorId: body.moderator_id } : {}),
      source: 'api',
      direct: body.direct,
      reason: body.reason,
      evidence: body.evidence,
      ...(body.points ? { points: body.points } : {}),
      ...(body.duration_seconds ? { durationSeconds: body.duration_seconds } : {}),
    };
    const { started } = await flows.start(moderateCase, {
      workflowId,
      kind: 'moderation',
      guildId,
      args: [caseRequest],
      summary: caseSummary(caseRequest),
      memberIds: caseMembers(caseRequest),
    });
    response.status(started ? 202 : 200).json({ workflow_id: workflowId, started });
  });

  router.patch(`${GUILD_PATH}/moderation/cases/:number`, async (request, response) => {
    const body = parseBody(amendmentBody, request.body);
    const guildId = callerOf(response).guildId;
    const number = caseNumber(request.params.number);
    let found = await findCase(database.fork(), guildId, number);
    if (!found) throw new HttpError(404, 'case_not_found', 'There is no such case in this server.');
    if (body.duration_seconds !== undefined) {
      if (!['ban', 'timeout', 'mute'].includes(found.kind) || found.status !== 'applied' || !found.durationSeconds) {
        throw new HttpError(409, 'not_timed', 'Only a timed punishment in force has a duration to change.');
      }
      const endsAt = found.createdAt.getTime() + body.duration_seconds * 1000;
      if (endsAt <= Date.now()) throw new HttpError(409, 'already_over', 'That length would already be over.');
      const target = { guildId, memberId: found.targetId, kind: found.kind as TimedKind };
      await temporal.workflow.getHandle(punishmentWorkflowId(target)).signal(punishmentSet, { caseId: found.id, caseNumber: found.number, endsAt });
    }
    if (body.reason !== undefined) {
      found = await database.transaction(async (em) => {
        const amended = await amendReason(em, guildId, number, body.reason!, body.amended_by);
        await logModeration(em, { id: `${amended!.id}:reason:${amended!.reasonHistory.length}`, guildId, caseId: `#${number}`, kind: 'reason', actorId: body.amended_by, targetId: amended!.targetId, detail: { reason: body.reason } });
        return amended;
      });
    }
    response.json(caseJson(found!));
  });

  return router;
}

function caseNumber(text: string | undefined): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) throw new HttpError(400, 'invalid_case_number', 'A case number is a whole number from 1.');
  return number;
}

function settingsJson(settings: Awaited<ReturnType<typeof moderationSettings>>) {
  return {
    moderator_role_ids: settings.moderatorRoleIds,
    direct_action_role_ids: settings.directActionRoleIds,
    ladder: settings.ladder,
    decay_interval_seconds: settings.decayIntervalSeconds,
    mute_role_id: settings.muteRoleId ?? null,
    automod: settings.automod,
  };
}

function caseJson(found: ModerationCase) {
  return {
    number: found.number,
    kind: found.kind,
    status: found.status,
    target_id: found.targetId,
    moderator_id: found.moderatorId ?? null,
    source: found.source,
    reason: found.reason,
    reason_history: found.reasonHistory,
    evidence: found.evidence,
    points: found.points,
    duration_seconds: found.durationSeconds ?? null,
    expires_at: found.expiresAt?.toISOString() ?? null,
    approval_case_id: found.approvalCaseId ?? null,
    created_at: found.createdAt.toISOString(),
  };
}
