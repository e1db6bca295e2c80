// /rank, /leaderboard and its page buttons, and the admins' /xp set|add|reset. Reading is a query answered after
// the deferral; an admin's change is one transaction, then a workflow brings the member's reward roles in line.
import { ApplicationCommandOptionType, InteractionResponseType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { renderLeaderboard, renderRank } from '../../../workflows/leveling/cards.js';
import { levelForXp } from '../../../workflows/leveling/curve.js';
import { leaderboardCustomIds } from '../../../workflows/leveling/custom-id.js';
import { resyncLevelRoles } from '../../../workflows/leveling/level-up-workflow.js';
import { levelRolesSummary, roleSyncWorkflowId } from '../../../workflows/leveling/messages.js';
import type { Database } from '../../db/database.js';
import { componentHandler, type Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import { levelingSettings } from './settings.js';
import { changeXp, LEADERBOARD_PAGE_SIZE, leaderboardPage, standingOf } from './store/levels.js';
import { MemberLevelSchema } from './store/entities.js';

/** XP an admin may give a member at most. */
export const MAX_XP = 1_000_000_000;

export const rankCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'rank',
    description: "A member's level, XP and place in this server",
    contexts: [0],
    options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose rank (yours when left out)' }],
  },
  async execute(interaction, respond, { database }) {
    const guildId = interaction.guild_id;
    if (!guildId || !interaction.member) return respond.acknowledge(ephemeralMessage('Ranks are kept per server.'));
    const target = new CommandOptions(interaction).user('member') ?? interaction.member.user;
    if (target.bot) return respond.acknowledge(ephemeralMessage('Bots do not earn XP.'));
    await respond.acknowledge(deferEphemeral);
    const em = database.fork();
    const [standing, settings, members] = await Promise.all([standingOf(em, guildId, target.id), levelingSettings(database.fork(), guildId), database.fork().count(MemberLevelSchema, { guildId, xp: { $gt: 0 } })]);
    if (!standing) return respond.editOriginal({ content: `<@${target.id}> has not earned any XP yet.`, allowed_mentions: { parse: [] } });
    await respond.editOriginal({ embeds: [renderRank(standing, levelForXp(settings.curve, standing.xp), members)], allowed_mentions: { parse: [] } });
  },
};

export const leaderboardCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'leaderboard',
    description: 'The members with the most XP in this server',
    contexts: [0],
    options: [{ type: ApplicationCommandOptionType.Integer, name: 'page', description: 'Which page (from 1)', min_value: 1, max_value: 100_000 }],
  },
  async execute(interaction, respond, { database }) {
    const guildId = interaction.guild_id;
    if (!guildId) return respond.acknowledge(ephemeralMessage('Leaderboards are kept per server.'));
    await respond.acknowledge({ type: InteractionResponseType.DeferredChannelMessageWithSource });
    const page = (new CommandOptions(interaction).integer('page') ?? 1) - 1;
    await respond.editOriginal({ ...(await leaderboardMessage(database, guildId, page)), allowed_mentions: { parse: [] } });
  },
};

/** Previous and Next on a leaderboard: the message shows the page asked for (the last one, past the end). */
export const leaderboardButtons = componentHandler(leaderboardCustomIds, async (interaction, { key }, respond, { database }) => {
  if (interaction.guild_id !== key.guildId) return respond.acknowledge(ephemeralMessage('This leaderboard belongs to another server.'));
  await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
  await respond.editOriginal({ ...(await leaderboardMessage(database, key.guildId, key.page)), allowed_mentions: { parse: [] } });
});

async function leaderboardMessage(database: Database, guildId: string, page: number) {
  let board = await leaderboardPage(database.fork(), guildId, page);
  const lastPage = Math.max(0, Math.ceil(board.total / LEADERBOARD_PAGE_SIZE) - 1);
  if (page > lastPage) {
    page = lastPage;
    board = await leaderboardPage(database.fork(), guildId, page);
  }
  return renderLeaderboard(guildId, page, board.entries, board.total, LEADERBOARD_PAGE_SIZE);
}

const MANAGE = PermissionFlagsBits.ManageGuild;

export const xpCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'xp',
    description: "Change a member's XP (admins)",
    contexts: [0],
    default_member_permissions: String(MANAGE),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: "Set a member's XP",
        options: [
          { type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose XP', required: true },
          { type: ApplicationCommandOptionType.Integer, name: 'xp', description: 'Their XP from now on', required: true, min_value: 0, max_value: MAX_XP },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: "Add to (or, negative, take from) a member's XP",
        options: [
          { type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose XP', required: true },
          { type: ApplicationCommandOptionType.Integer, name: 'xp', description: 'How much', required: true, min_value: -MAX_XP, max_value: MAX_XP },
        ],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'reset', description: "Reset a member's XP to 0", options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose XP', required: true }] },
    ],
  },
  async execute(interaction, respond, { database, flows }) {
    const guildId = interaction.guild_id;
    const member = interaction.member;
    if (!guildId || !member) return respond.acknowledge(ephemeralMessage('XP is kept per server.'));
    const granted = BigInt(member.permissions || '0');
    if ((granted & MANAGE) !== MANAGE && (granted & PermissionFlagsBits.Administrator) === 0n) {
      return respond.acknowledge(ephemeralMessage("Only members who can manage the server can change members' XP."));
    }
    const options = new CommandOptions(interaction);
    const target = options.user('member');
    if (!target) return respond.acknowledge(ephemeralMessage('Choose a member.'));
    if (target.bot) return respond.acknowledge(ephemeralMessage('Bots do not earn XP.'));
    await respond.acknowledge(deferEphemeral);
    const amount = options.integer('xp') ?? 0;
    const change = options.subcommand === 'set' ? () => amount : options.subcommand === 'add' ? (current: number) => current + amount : () => 0;
    const saved = await changeMemberXp({ database, flows }, { guildId, userId: target.id, change, cause: interaction.id });
    await respond.editOriginal({ content: `<@${target.id}> now has ${saved.xp.toLocaleString('en')} XP (level ${saved.level}). Their reward roles follow in a moment.`, allowed_mentions: { parse: [] } });
  },
};

/** An admin's change (command or HTTP API): the XP, clamped to 0…MAX_XP, and the reward roles brought in line. */
export async function changeMemberXp(
  { database, flows }: { database: Database; flows: FlowStarter },
  { guildId, userId, change, cause }: { guildId: string; userId: string; change: (current: number) => number; cause: string },
): Promise<{ xp: number; level: number }> {
  const settings = await levelingSettings(database.fork(), guildId);
  const saved = await database.transaction((em) => changeXp(em, guildId, userId, (current) => Math.min(MAX_XP, Math.max(0, change(current))), settings.curve));
  if (settings.roleRewards.length > 0) {
    const sync = { guildId, userId, cause };
    await flows.start(resyncLevelRoles, { workflowId: roleSyncWorkflowId(sync), args: [sync], kind: 'level-roles', guildId, summary: levelRolesSummary(sync), memberIds: [userId], idReusePolicy: 'REJECT_DUPLICATE' });
  }
  return { xp: saved.xp, level: saved.level };
}
