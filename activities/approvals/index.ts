// The approvals feature's I/O: the server's rules, the card in the approvals channel, the half-time ping, the
// moderation log, and the approved action itself, applied once through Discord after re-reading the member.
import type { REST } from '@discordjs/rest';
import { Routes, type APIGuild, type APIMessage } from 'discord-api-types/v10';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { describeAction, describeDuration, type ActionType, type ApprovalAction } from '../../workflows/approvals/actions.js';
import type { ApprovalRequestInput, ApprovalResult, ApprovalRules } from '../../workflows/approvals/messages.js';
import type { CardMessage } from '../../workflows/shared/discord-kit.js';
import type { Database } from '../../src/db/database.js';
import {
  approvalSettings,
  findApprovalRequest,
  logModeration,
  newerExecution,
  purgeModerationLog,
  rulesFor,
  saveApprovalRequest,
  type ModerationLogInput,
} from '../../src/features/approvals/store/approvals.js';
import { discordCall, memberOrNothing, refusalsInWords } from '../shared/discord-call.js';
import { DirectChannels } from '../shared/direct-channels.js';
import { nonceFor } from '../shared/nonce.js';
import { isNotModified, telegramApi, telegramCall, type TelegramSettings } from '../../src/telegram/bot-api.js';
import { saveTelegramCard, telegramCardOf } from '../../src/features/approvals/store/telegram.js';
import type { TelegramCard } from '../../workflows/approvals/telegram-card.js';

export interface ApprovalsDependencies {
  database: Database;
  discord?: REST;
  /** The Telegram bot that sends requests to servers' Telegram chats; none when unset. */
  telegram?: TelegramSettings;
}

/** Discord's error codes that tell an approver, in words, why an approved action was not applied. */
const REFUSALS: Record<number, string> = {
  50013: "Steward lacks the permission for this, or its highest role is not above the member's.",
  10007: 'The member is not in the server.',
  10013: 'There is no such user.',
};

export function createApprovalsActivities({ database, discord, telegram }: ApprovalsDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);
  const telegramBotApi = telegram ? telegramApi(telegram) : undefined;
  const bot = () => {
    if (!telegramBotApi) throw ApplicationFailure.nonRetryable('TELEGRAM_BOT_TOKEN is not set on this worker', 'TelegramNotConfigured');
    return telegramBotApi;
  };

  return {
    async loadApprovalRules(input: { guildId: string; actionType: ActionType }): Promise<ApprovalRules> {
      const settings = await approvalSettings(database.fork(), input.guildId);
      if (!settings) throw ApplicationFailure.nonRetryable('Approvals are not set up in this server', 'ApprovalsNotConfigured');
      return rulesFor(settings, input.actionType);
    },

    /** The server's name, for the Telegram message (Telegram cannot show Discord's own references). */
    async serverName({ guildId }: { guildId: string }): Promise<string> {
      return ((await discordCall(() => rest().get(Routes.guild(guildId)))) as APIGuild).name;
    },

    /**
     * The request in the server's Telegram chat, once per request: a retry finds the message the first attempt
     * recorded. Telegram has no idempotency key, so a crash between its answer and that record could send it twice.
     */
    async postTelegramCard(input: { guildId: string; caseId: string; targetId: string; chatId: string; card: TelegramCard }): Promise<number> {
      const workflowId = workflowIdOf();
      const existing = await telegramCardOf(database.fork(), workflowId);
      if (existing) return existing.messageId;
      const sent = await telegramCall(() => bot().sendMessage(input.chatId, input.card.text, { reply_markup: inlineKeyboard(input.card) }));
      await database.transaction((em) => saveTelegramCard(em, { workflowId, guildId: input.guildId, caseId: input.caseId, targetId: input.targetId, chatId: input.chatId, messageId: sent.message_id }));
      return sent.message_id;
    },

    async editTelegramCard(input: { chatId: string; messageId: number; card: TelegramCard }): Promise<void> {
      await telegramCall(async () => {
        try {
          await bot().editMessageText(input.chatId, input.messageId, input.card.text, { reply_markup: inlineKeyboard(input.card) });
        } catch (error) {
          if (!isNotModified(error)) throw error;
        }
      });
    },

    /** One card per request: the nonce (from the case) makes a retried post return the first message. */
    async postApprovalCard(input: { guildId: string; channelId: string; caseId: string; card: CardMessage }): Promise<string> {
      const message = (await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: { ...input.card, allowed_mentions: { parse: [] }, nonce: nonceFor(`approval:${input.guildId}:${input.caseId}`), enforce_nonce: true },
        }),
      )) as APIMessage;
      return message.id;
    },

    async editApprovalCard(input: { channelId: string; messageId: string; card: CardMessage }): Promise<void> {
      await discordCall(() => rest().patch(Routes.channelMessage(input.channelId, input.messageId), { body: input.card }));
    },

    async pingApprovers(input: { channelId: string; roleIds: string[]; caseId: string; action: string; deadline: number }): Promise<void> {
      const roles = input.roleIds.map((id) => `<@&${id}>`).join(' ');
      await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: {
            content: `${roles} Case ${input.caseId} (${input.action}) still needs a decision, <t:${Math.floor(input.deadline / 1000)}:R>.`.trim(),
            allowed_mentions: { roles: input.roleIds },
            nonce: nonceFor(`approval-ping:${input.channelId}:${input.caseId}`),
            enforce_nonce: true,
          },
        }),
      );
    },

    async alertAdmins(input: { guildId: string; channelId: string; caseId: string; action: string; since: number; cardChannelId: string; cardMessageId: string }): Promise<void> {
      const card = `https://discord.com/channels/${input.guildId}/${input.cardChannelId}/${input.cardMessageId}`;
      await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: {
            content: `Case ${input.caseId} (${input.action}) has waited for approvers since <t:${Math.floor(input.since / 1000)}:R>: ${card}`,
            allowed_mentions: { parse: [] },
            nonce: nonceFor(`approval-alert:${input.guildId}:${input.caseId}`),
            enforce_nonce: true,
          },
        }),
      );
    },

    purgeModerationLog: ({ before }: { before: string }) => database.transaction((em) => purgeModerationLog(em, new Date(before))),

    logModeration: (entry: Omit<ModerationLogInput, 'id'> & { id: string }) => database.transaction((em) => logModeration(em, entry)),

    saveApprovalRequest: (input: { request: ApprovalRequestInput; status: string; cardMessageId: string | null }) =>
      database.transaction((em) => saveApprovalRequest(em, { ...input, workflowId: workflowIdOf() })),

    /**
     * Re-reads the current state first: a newer decision about the member, or (for a kick or timeout) a member who
     * already left, supersedes the request. The action is idempotent in Discord (a ban or timeout set twice is one),
     * so a retry after a lost answer applies it once.
     */
    async executeApprovedAction(input: { guildId: string; caseId: string; targetId: string; action: ApprovalAction; reason: string; inWave?: boolean }): Promise<ApprovalResult> {
      const workflowId = workflowIdOf();
      const since = (await findApprovalRequest(database.fork(), workflowId))?.createdAt ?? new Date(0);
      if (await newerExecution(database.fork(), input.guildId, input.targetId, input.caseId, since)) {
        return { status: 'superseded', detail: 'A newer decision about this member was applied meanwhile; nothing more was done.' };
      }
      // discord.js sends it as X-Audit-Log-Reason, encoded; Discord takes at most 512 characters.
      const reason = input.reason.slice(0, 512);
      let told: 'sent' | 'refused' | undefined;
      const applied = await refusalsInWords(async () => {
        const present = (await memberOrNothing(rest(), input.guildId, input.targetId)) !== undefined;
        // Told before the action: once banned or kicked, the member no longer shares a server with Steward.
        if (present) told = await tellMember(rest(), directChannels, input, workflowId);
        if (input.action.type === 'ban') {
          const deleteSeconds = input.action.deleteMessageSeconds ?? 0;
          await rest().put(Routes.guildBan(input.guildId, input.targetId), { body: { delete_message_seconds: deleteSeconds }, reason });
          return true;
        }
        if (!present) return false;
        if (input.action.type === 'kick') await rest().delete(Routes.guildMember(input.guildId, input.targetId), { reason });
        else {
          const until = new Date(Date.now() + input.action.durationSeconds * 1000).toISOString();
          await rest().patch(Routes.guildMember(input.guildId, input.targetId), { body: { communication_disabled_until: until }, reason });
        }
        return true;
      }, REFUSALS);
      const result: ApprovalResult = applied
        ? { status: 'executed', detail: `${describeAction(input.action)} applied to <@${input.targetId}>.` }
        : { status: 'superseded', detail: `<@${input.targetId}> is no longer in the server; nothing was done.` };
      await database.transaction((em) =>
        logModeration(em, {
          // One log entry per member: a wave's members each have their own.
          id: input.inWave ? `${workflowId}:execution:${input.targetId}` : `${workflowId}:execution`,
          guildId: input.guildId,
          caseId: input.caseId,
          kind: applied ? 'execution' : 'superseded',
          targetId: input.targetId,
          detail: { action: input.action, result, ...(told ? { memberTold: told } : {}) },
        }),
      );
      return result;
    },
  };
}

export type ApprovalsActivities = ReturnType<typeof createApprovalsActivities>;

/**
 * A DM with the action and its reason. A member who does not accept DMs (Discord 50007) is noted, not a failure;
 * the nonce keeps a retried attempt from sending it twice.
 */
async function tellMember(
  rest: REST,
  directChannels: DirectChannels,
  input: { guildId: string; targetId: string; action: ApprovalAction; reason: string },
  workflowId: string,
): Promise<'sent' | 'refused'> {
  const guild = (await rest.get(Routes.guild(input.guildId))) as APIGuild;
  const what =
    input.action.type === 'ban'
      ? `You were banned from **${guild.name}**.`
      : input.action.type === 'kick'
        ? `You were kicked from **${guild.name}**.`
        : `You were timed out in **${guild.name}** for ${describeDuration(input.action.durationSeconds)}.`;
  return directChannels.send(input.targetId, {
    content: `${what}\nReason: ${input.reason}`,
    allowed_mentions: { parse: [] },
    nonce: nonceFor(`${workflowId}:dm`),
    enforce_nonce: true,
  });
}

/** The approval request's workflow id: its activities run only inside it. */
function workflowIdOf(): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('Approval activities run inside an approval workflow.');
  return execution.workflowId;
}

/** Telegram's inline keyboard: the buttons in one row; none once the request is closed. */
function inlineKeyboard(card: TelegramCard) {
  return { inline_keyboard: card.buttons.length > 0 ? [card.buttons.map((button) => ({ text: button.text, callback_data: button.data }))] : [] };
}

