// The Telegram side of approvals, in the adapter process: a grammY bot (long polling) that turns a press of Approve
// or Reject on a request's Telegram message into the same Workflow Update a Discord click makes, for the Discord
// member the Telegram account is linked to, under the same approver rules; and `/link <code>`, which links an account.
// A press that is forged (not on a request's message, or not a decision), from an unlinked account, or replayed
// changes nothing and is logged.
import type { REST } from '@discordjs/rest';
import type { Client } from '@temporalio/client';
import { PermissionFlagsBits, Routes, type APIGuild, type APIGuildMember } from 'discord-api-types/v10';
import type { Bot, Context } from 'grammy';
import type { Decider, Decision } from '../../../../workflows/approvals/decisions.js';
import { DECISION_REFUSED, decideApproval } from '../../../../workflows/approvals/messages.js';
import { TELEGRAM_DECISIONS } from '../../../../workflows/approvals/telegram-card.js';
import type { Database } from '../../../db/database.js';
import type { Logger } from '../../../observability/logger.js';
import { telegramBot, type TelegramSettings } from '../../../telegram/bot-api.js';
import { updateRefusal } from '../../../temporal/update-refusal.js';
import type { BackgroundService } from '../../feature.js';
import { logModeration } from '../store/approvals.js';
import { linkedMember, redeemLinkCode, telegramCardAt } from '../store/telegram.js';

export interface TelegramApprovalsDependencies {
  database: Database;
  temporal: Client;
  discord?: REST;
  logger: Logger;
}

export function telegramApprovals(settings: TelegramSettings, dependencies: TelegramApprovalsDependencies): BackgroundService {
  return {
    name: 'telegram approvals',
    async start() {
      const bot = telegramBot(settings);
      const logger = dependencies.logger.child({ component: 'telegram' });
      bot.on('callback_query:data', (context) => onButton(context, dependencies, logger));
      bot.command('link', (context) => onLink(context, dependencies.database));
      bot.catch(({ error }) => logger.error({ err: error }, 'Telegram update failed'));
      // getMe first, so a wrong token stops the start with Telegram's own answer.
      await bot.init();
      const polling = bot.start({ allowed_updates: ['message', 'callback_query'] });
      polling.catch((error: unknown) => logger.error({ err: error }, 'Telegram polling stopped'));
      logger.info({ bot: bot.botInfo.username }, 'Telegram bot polling');
      return () => stop(bot);
    },
  };
}

async function stop(bot: Bot): Promise<void> {
  await bot.stop();
}

const DECISIONS: Record<string, Decision> = {
  [TELEGRAM_DECISIONS.approve]: { kind: 'approve' },
  [TELEGRAM_DECISIONS.reject]: { kind: 'reject' },
};

const refusalWords = {
  refusalType: DECISION_REFUSED,
  finished: 'This request was already decided.',
  simultaneous: 'Another decision on this request was taken at the same moment.',
};

async function onButton(context: Context, { database, temporal, discord }: TelegramApprovalsDependencies, logger: Logger): Promise<void> {
  const query = context.callbackQuery!;
  const message = query.message;
  const telegramUserId = String(query.from.id);
  const answer = async (text: string) => {
    // A replayed press was answered the first time; Telegram refuses a second answer, which changes nothing.
    await context.answerCallbackQuery({ text, show_alert: true }).catch((error: unknown) => logger.warn({ err: error, callbackQueryId: query.id }, 'Telegram press answered already (a replay)'));
  };
  const decision = query.data ? DECISIONS[query.data] : undefined;
  const card = message && decision ? await telegramCardAt(database.fork(), String(message.chat.id), message.message_id) : null;
  if (!decision || !card) {
    logger.warn({ telegramUserId, data: query.data, chatId: message?.chat.id, messageId: message?.message_id }, 'Telegram press refused: not a decision on a request');
    return answer("This button is not one of Steward's requests.");
  }
  const refuse = async (reason: string, words: string) => {
    logger.warn({ telegramUserId, workflowId: card.workflowId, reason }, 'Telegram press refused');
    await database.transaction((em) =>
      logModeration(em, { id: `telegram:${query.id}`, guildId: card.guildId, caseId: card.caseId, kind: 'telegram-refused', targetId: card.targetId, detail: { reason, telegramUserId } }),
    );
    await answer(words);
  };
  const discordUserId = await linkedMember(database.fork(), card.guildId, telegramUserId);
  if (!discordUserId) return refuse('unlinked', 'Link your Telegram account first: run /telegram-link in the Discord server, then send /link with the code here.');
  const decider = discord ? await deciderFor(discord, card.guildId, discordUserId) : undefined;
  if (!decider) return refuse('not a member', 'Your linked Discord account is not in that server.');
  try {
    // The press's id is the Update's id: a replayed press is the same decision, not a second one.
    await temporal.workflow.getHandle(card.workflowId).executeUpdate(decideApproval, { args: [{ decider, decision }], updateId: `telegram:${query.id}` });
    await answer(decision.kind === 'approve' ? 'Approved.' : 'Rejected.');
  } catch (error) {
    const refusal = updateRefusal(error, refusalWords);
    if (refusal === undefined) throw error;
    await refuse(refusal, refusal);
  }
}

/** The linked member as an approval sees them: their roles and their server-wide permissions. */
async function deciderFor(discord: REST, guildId: string, userId: string): Promise<Decider | undefined> {
  let member: APIGuildMember;
  try {
    member = (await discord.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
  } catch (error) {
    if ((error as { code?: number }).code === 10007) return undefined;
    throw error;
  }
  const guild = (await discord.get(Routes.guild(guildId))) as APIGuild;
  const held = guild.roles.filter((role) => role.id === guildId || member.roles.includes(role.id));
  const permissions = guild.owner_id === userId ? PermissionFlagsBits.Administrator : held.reduce((all, role) => all | BigInt(role.permissions), 0n);
  return { userId, roleIds: member.roles, permissions: String(permissions) };
}

async function onLink(context: Context, database: Database): Promise<void> {
  if (context.chat?.type !== 'private' || !context.from) return void (await context.reply('Send /link to me in a private chat.'));
  const code = typeof context.match === 'string' ? context.match.trim() : '';
  if (!/^\d{8}$/.test(code)) return void (await context.reply('Send /link followed by the 8-digit code /telegram-link gave you in Discord.'));
  const linked = await database.transaction((em) => redeemLinkCode(em, code, String(context.from!.id)));
  await context.reply(linked ? 'Linked: your approvals here count as your Discord account.' : 'That code is unknown or has expired; run /telegram-link in Discord for a new one.');
}
