// The moderation ladder's I/O: cases and points in PostgreSQL, the checks and actions through Discord, the DM
// that tells the member, the moderator's reply, and the timers of timed punishments (their workflows).
import type { REST } from '@discordjs/rest';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { PermissionFlagsBits, Routes, type APIGuild, type APIGuildMember, type APIRole, type APIUser } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import { availableProviders, callProvider, MalformedOutputError, toActivityFailure, type ProviderChain } from '../../src/llm/index.js';
import { recordLlmUsage, type LlmUsageEntry } from '../../src/llm/usage.js';
import type { AutomodVerdict, FlaggedMessage } from '../../workflows/moderation/automod.js';
import { automodVerdictSchema, buildJudgeRequest } from './automod-prompt.js';
import type { FlowStarter } from '../../src/temporal/start-flow.js';
import { logModeration } from '../../src/features/approvals/store/approvals.js';
import {
  addWarningPoints,
  caseById,
  latestCaseOf,
  moderationSettings,
  openCase,
  updateCase,
} from '../../src/features/moderation/store/cases.js';
import { MAX_TIMEOUT_SECONDS, describeDuration } from '../../workflows/approvals/actions.js';
import type { Rung } from '../../workflows/moderation/ladder.js';
import {
  punishmentCancelled,
  punishmentSet,
  punishmentSummary,
  punishmentWorkflowId,
  type CaseKind,
  type CaseRequest,
  type CaseStatus,
  type PunishmentTerm,
  type TimedPunishmentInput,
} from '../../workflows/moderation/messages.js';
import { discordCall, memberOrNothing, refusalsInWords, editInteractionReply } from '../shared/discord-call.js';
import { DirectChannels } from '../shared/direct-channels.js';
import { nonceFor } from '../shared/nonce.js';

export interface ModerationDependencies {
  database: Database;
  discord?: REST;
  flows: FlowStarter;
  llm: ProviderChain;
}

export interface ModerationRules {
  ladder: Rung[];
  decayIntervalSeconds: number;
  muteRoleId: string | null;
}

export type MessageJudgement =
  | { messageId: string; status: 'judged'; verdict: AutomodVerdict; usage: Omit<LlmUsageEntry, 'id' | 'guildId' | 'flow'> }
  | { messageId: string; status: 'unavailable' | 'unjudged' };

export interface CaseAction {
  guildId: string;
  targetId: string;
  kind: CaseKind;
  reason: string;
  durationSeconds?: number;
  deleteMessageSeconds?: number;
  muteRoleId?: string | null;
}

/** Discord's codes, in words a moderator can act on. */
const REFUSALS: Record<number, string> = {
  50013: "Steward lacks the permission for this, or its highest role is not above the member's.",
  10007: 'The member is not in the server.',
  10013: 'There is no such user.',
  10026: 'That user is not banned.',
  10011: 'The mute role no longer exists; set another with the moderation settings.',
};

const ADMINISTRATOR = PermissionFlagsBits.Administrator;

export function createModerationActivities({ database, discord, flows, llm }: ModerationDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);

  return {
    async loadModerationRules({ guildId }: { guildId: string }): Promise<ModerationRules> {
      const settings = await moderationSettings(database.fork(), guildId);
      return {
        ladder: settings.ladder,
        decayIntervalSeconds: settings.decayIntervalSeconds,
        muteRoleId: settings.muteRoleId ?? null,
      };
    },

    /**
     * The verdicts on a batch of flagged messages, judged concurrently: each message goes to the configured models in
     * order until one answers within the verdict's shape. A message no model could judge comes back `unavailable`
     * (the workflow tries it again later, then lets the pre-filter's rules decide); none configured, `unjudged`.
     * One activity per batch keeps a busy server's candidates to a few workflow steps a second.
     */
    async judgeFlaggedMessages(input: { guildId: string; messages: FlaggedMessage[] }): Promise<MessageJudgement[]> {
      const judges = availableProviders(llm).filter((name) => name !== 'offline');
      const { serverRules } = (await moderationSettings(database.fork(), input.guildId)).automod;
      const context = Context.current();
      const judgements = await Promise.all(
        input.messages.map(async (message): Promise<MessageJudgement> => {
          if (judges.length === 0) return { messageId: message.messageId, status: 'unjudged' };
          for (const provider of judges) {
            try {
              const request = buildJudgeRequest({ content: message.content, authorName: message.authorName, candidate: message.candidate, serverRules });
              const result = await callProvider(llm, provider, request, { signal: context.cancellationSignal });
              const verdict = automodVerdictSchema.safeParse(result.toolInput);
              if (!verdict.success) throw new MalformedOutputError(provider, `${provider} answered outside the verdict's shape: ${verdict.error.message}`);
              return {
                messageId: message.messageId,
                status: 'judged',
                verdict: verdict.data,
                usage: { provider: result.provider, model: result.model, usage: result.usage, costUsd: result.costUsd },
              };
            } catch (error) {
              const failure = toActivityFailure(error, provider);
              context.log.warn('A model could not judge a flagged message; trying the next one', { provider, type: failure.type, messageId: message.messageId });
            }
          }
          return { messageId: message.messageId, status: 'unavailable' };
        }),
      );
      // The calls are paid for now: a failed usage write is logged, never a reason to retry (and pay) the batch.
      const usage = judgements.flatMap((judgement) =>
        judgement.status === 'judged' ? [{ id: `automod:${input.guildId}:${judgement.messageId}:${judgement.usage.provider}`, guildId: input.guildId, flow: 'automod', ...judgement.usage }] : [],
      );
      await database
        .transaction(async (em) => {
          for (const entry of usage) await recordLlmUsage(em, entry);
        })
        .catch((error: unknown) => context.log.error('Could not record the models\' usage', { error: (error as Error).message, entries: usage.length }));
      return judgements;
    },


    /** Idempotent by the request's key: a retry returns the case the first attempt opened. */
    async openModerationCase({ request, status }: { request: CaseRequest; status: CaseStatus }): Promise<{ id: string; number: number }> {
      const opened = await database.transaction((em) => openCase(em, request, status));
      return { id: opened.id, number: opened.number };
    },

    async setCaseStatus(input: { caseId: string; status: CaseStatus; approvalCaseId?: string; kind?: CaseKind; durationSeconds?: number | null }): Promise<void> {
      await database.transaction((em) =>
        updateCase(em, input.caseId, {
          status: input.status,
          ...(input.approvalCaseId ? { approvalCaseId: input.approvalCaseId } : {}),
          ...(input.kind ? { kind: input.kind } : {}),
          ...(input.durationSeconds !== undefined ? { durationSeconds: input.durationSeconds } : {}),
        }),
      );
    },

    async addWarningPoints(input: { caseId: string; guildId: string; memberId: string; points: number; at: number; decayIntervalSeconds: number }) {
      return database.transaction((em) =>
        addWarningPoints(em, { ...input, at: new Date(input.at), decay: { intervalSeconds: input.decayIntervalSeconds } }),
      );
    },

    /** Every step of a case goes to the moderation log (kept 90 days by default), once per id. */
    async logCaseStep(entry: { id: string; guildId: string; caseNumber: number; kind: string; actorId?: string; targetId: string; detail: Record<string, unknown> }) {
      const { caseNumber, ...rest } = entry;
      await database.transaction((em) => logModeration(em, { ...rest, caseId: `#${caseNumber}` }));
    },

    /**
     * Refuses, in words and for good, what Discord would refuse or a moderator may not do: a member who is not in
     * the server, the server's owner, a member whose highest role is not below Steward's (or the moderator's own),
     * an administrator's timeout. Nothing has been told or changed yet when this refuses.
     */
    async checkModerationTarget(input: { guildId: string; targetId: string; moderatorId?: string; kind: CaseKind }): Promise<void> {
      if (input.kind === 'unban' || input.kind === 'note') return;
      await refusalsInWords(async () => {
        const guild = (await rest().get(Routes.guild(input.guildId))) as APIGuild;
        const target = await memberOrNothing(rest(), input.guildId, input.targetId);
        if (!target) {
          if (input.kind === 'ban') return;
          throw refusal('That member is not in the server.');
        }
        if (guild.owner_id === input.targetId) throw refusal("The server's owner cannot be moderated.");
        const roles = (await rest().get(Routes.guildRoles(input.guildId))) as APIRole[];
        const me = (await rest().get(Routes.user('@me'))) as APIUser;
        const bot = await memberOrNothing(rest(), input.guildId, me.id);
        const position = (member: APIGuildMember | undefined, userId: string) =>
          userId === guild.owner_id ? Infinity : Math.max(0, ...(member?.roles ?? []).map((id) => roles.find((role) => role.id === id)?.position ?? 0));
        const targetPosition = position(target, input.targetId);
        if (position(bot, me.id) <= targetPosition) {
          throw refusal("That member's highest role is not below Steward's: move Steward's role above it in the server settings.");
        }
        if (input.moderatorId && input.moderatorId !== guild.owner_id) {
          const moderator = await memberOrNothing(rest(), input.guildId, input.moderatorId);
          if (position(moderator, input.moderatorId) <= targetPosition) throw refusal("You can only moderate members whose highest role is below yours.");
        }
        if (input.kind === 'timeout' && hasAdministrator(target, roles, input.guildId)) throw refusal('Administrators cannot be timed out.');
      }, REFUSALS);
    },

    /**
     * A DM with the action and its reason, sent before the action (once banned or kicked, the member no longer
     * shares a server with Steward). A member who does not accept DMs (50007) is noted, not a failure; the nonce
     * keeps a retried attempt from sending it twice.
     */
    async tellMemberOfCase(input: CaseAction & { caseNumber: number }): Promise<'sent' | 'refused' | 'absent'> {
      const present = await memberOrNothing(rest(), input.guildId, input.targetId);
      if (!present && input.kind !== 'unban') return 'absent';
      const guild = (await discordCall(() => rest().get(Routes.guild(input.guildId)))) as APIGuild;
      return directChannels.send(input.targetId, {
        content: `${whatHappened(input, guild.name)}\nReason: ${input.reason}\nCase #${input.caseNumber}`,
        allowed_mentions: { parse: [] },
        nonce: nonceFor(`case-dm:${input.guildId}:${input.caseNumber}`),
        enforce_nonce: true,
      });
    },

    /** The action itself; each is idempotent in Discord (a ban, a timeout or a role set twice is one). */
    async applyModerationAction(input: CaseAction): Promise<void> {
      const reason = input.reason.slice(0, 512);
      await refusalsInWords(async () => {
        switch (input.kind) {
          case 'ban':
            await rest().put(Routes.guildBan(input.guildId, input.targetId), { body: { delete_message_seconds: input.deleteMessageSeconds ?? 0 }, reason });
            return;
          case 'unban':
            await rest().delete(Routes.guildBan(input.guildId, input.targetId), { reason });
            return;
          case 'kick':
            await rest().delete(Routes.guildMember(input.guildId, input.targetId), { reason });
            return;
          case 'timeout': {
            const seconds = Math.min(input.durationSeconds ?? 0, MAX_TIMEOUT_SECONDS);
            const until = new Date(Date.now() + seconds * 1000).toISOString();
            await rest().patch(Routes.guildMember(input.guildId, input.targetId), { body: { communication_disabled_until: until }, reason });
            return;
          }
          case 'mute':
            if (!input.muteRoleId) throw refusal('No mute role is set: choose one in the moderation settings first.');
            await rest().put(Routes.guildMemberRole(input.guildId, input.targetId, input.muteRoleId), { reason });
            return;
          default:
            return;
        }
      }, REFUSALS);
    },

    /** Edits the command's deferred reply with the outcome. */
    replyToModerator: (input: { reply: { applicationId: string; token: string }; content: string }) => editInteractionReply(rest(), input.reply, input.content),

    /** Starts the punishment's timer, or moves the running one (signal-with-start on `punishment:<guild>:<member>:<kind>`). */
    async schedulePunishmentEnd(input: TimedPunishmentInput & { term: PunishmentTerm }): Promise<void> {
      const target: TimedPunishmentInput = { guildId: input.guildId, memberId: input.memberId, kind: input.kind };
      await flows.signal(
        'timedPunishment',
        { workflowId: punishmentWorkflowId(target), args: [target], kind: 'moderation', guildId: input.guildId, summary: punishmentSummary(target), memberIds: [input.memberId] },
        punishmentSet,
        [input.term],
      );
    },

    /** Drops a pending end (a permanent ban after a temporary one, an unban); nothing to do when none runs. */
    async cancelPunishment(input: TimedPunishmentInput & { reason: string }): Promise<boolean> {
      try {
        await flows.client.workflow.getHandle(punishmentWorkflowId(input)).signal(punishmentCancelled, { reason: input.reason });
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /**
     * A timed punishment's end, after re-reading: only the case still in force is ended (a later permanent ban, an
     * unban by hand, or a newer case of the same kind leaves nothing to do). Returns what it did.
     */
    async endPunishment(input: TimedPunishmentInput & { caseId: string; muteRoleId?: string | null }): Promise<'ended' | 'superseded'> {
      const current = await latestCaseOf(database.fork(), input.guildId, input.memberId, input.kind === 'ban' ? ['ban', 'unban'] : [input.kind]);
      if (!current || current.id !== input.caseId || current.status !== 'applied') {
        // A later case about the member (a permanent ban, an unban) replaced this one: it ends without an action.
        const mine = await caseById(database.fork(), input.caseId);
        if (mine?.status === 'applied') await database.transaction((em) => updateCase(em, input.caseId, { status: 'superseded' }));
        return 'superseded';
      }
      const reason = `Case #${current.number} ended`;
      await refusalsInWords(async () => {
        if (input.kind === 'ban') {
          try {
            await rest().delete(Routes.guildBan(input.guildId, input.memberId), { reason });
          } catch (error) {
            if ((error as { code?: number }).code !== 10026) throw error;
          }
        } else if (input.kind === 'mute') {
          const roleId = input.muteRoleId;
          if (roleId && (await memberOrNothing(rest(), input.guildId, input.memberId))) {
            await rest().delete(Routes.guildMemberRole(input.guildId, input.memberId, roleId), { reason });
          }
        }
      }, REFUSALS);
      await database.transaction((em) => updateCase(em, input.caseId, { status: 'ended' }));
      return 'ended';
    },

    /**
     * Puts the punishment on the member again (a rejoin, or the next 28-day window of a long timeout), if its case
     * is still in force and the member is here. Returns false when there was nothing to do.
     */
    async reapplyPunishment(input: TimedPunishmentInput & { caseId: string; endsAt: number; muteRoleId?: string | null }): Promise<boolean> {
      const current = await caseById(database.fork(), input.caseId);
      if (!current || current.status !== 'applied') return false;
      if (!(await memberOrNothing(rest(), input.guildId, input.memberId))) return false;
      const reason = `Case #${current.number} still in force`;
      await refusalsInWords(async () => {
        if (input.kind === 'mute' && input.muteRoleId) {
          await rest().put(Routes.guildMemberRole(input.guildId, input.memberId, input.muteRoleId), { reason });
        } else if (input.kind === 'timeout') {
          const until = new Date(Math.min(input.endsAt, Date.now() + MAX_TIMEOUT_SECONDS * 1000)).toISOString();
          await rest().patch(Routes.guildMember(input.guildId, input.memberId), { body: { communication_disabled_until: until }, reason });
        }
      }, REFUSALS);
      return true;
    },

    /**
     * A moved timer: the same case gets its new length and end; a newer case of the same kind replaces the earlier
     * one, which is marked superseded.
     */
    async recordTermChange(input: { previousCaseId: string; term: PunishmentTerm }): Promise<void> {
      await database.transaction(async (em) => {
        if (input.previousCaseId !== input.term.caseId) {
          const previous = await caseById(em, input.previousCaseId);
          if (previous?.status === 'applied') await updateCase(em, previous.id, { status: 'superseded' });
          return;
        }
        const current = await caseById(em, input.term.caseId);
        if (!current) return;
        const durationSeconds = Math.round((input.term.endsAt - current.createdAt.getTime()) / 1000);
        await updateCase(em, current.id, { durationSeconds, expiresAt: new Date(input.term.endsAt) });
      });
    },

    /** The case's kind and status as stored now (a punishment's workflow re-reads it before acting). */
    async caseStatus({ caseId }: { caseId: string }): Promise<CaseStatus | undefined> {
      return (await caseById(database.fork(), caseId))?.status as CaseStatus | undefined;
    },
  };
}

export type ModerationActivities = ReturnType<typeof createModerationActivities>;

function whatHappened(input: CaseAction, guildName: string): string {
  const during = input.durationSeconds ? ` for ${describeDuration(input.durationSeconds)}` : '';
  switch (input.kind) {
    case 'warn':
      return `You received a warning in **${guildName}**.`;
    case 'timeout':
      return `You were timed out in **${guildName}**${during}.`;
    case 'mute':
      return `You were muted in **${guildName}**${during}.`;
    case 'kick':
      return `You were kicked from **${guildName}**.`;
    case 'ban':
      return `You were banned from **${guildName}**${during}.`;
    case 'unban':
      return `Your ban from **${guildName}** was lifted.`;
    default:
      return `A moderator noted something about you in **${guildName}**.`;
  }
}

function hasAdministrator(member: APIGuildMember, roles: APIRole[], guildId: string): boolean {
  const held = roles.filter((role) => role.id === guildId || member.roles.includes(role.id));
  return held.some((role) => (BigInt(role.permissions) & ADMINISTRATOR) !== 0n);
}

function refusal(words: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(words, 'ActionRefused');
}

