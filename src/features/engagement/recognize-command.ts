// /recognize and /milestones. Recognising checks its input at once (yourself, a bot, an achievement too short or
// long: a short answer), defers, checks who may recognise, and starts the recognition's workflow, whose id is the
// interaction's: however often the command is delivered or retried, the points are added once.
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { ACHIEVEMENT_LENGTH, recognitionWorkflowId, type RecognitionInput } from '../../../workflows/engagement/messages.js';
import { recognizeVolunteer } from '../../../workflows/engagement/recognition-workflow.js';
import { BADGES, BADGE_NAMES, BADGE_POINTS, LEVEL_NAMES, levelOf, nextLevel, type Badge } from '../../../workflows/engagement/vis.js';
import type { Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { engagementSettings } from './settings.js';
import { recentRecognitions, visOf } from './store/vis.js';
import { actorName } from '../../discord/names.js';

export const recognizeCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'recognize',
    description: "Recognise a volunteer's achievement: adds to their VIS and may raise their level",
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.User, name: 'volunteer', description: 'Who to recognise', required: true },
      { type: ApplicationCommandOptionType.String, name: 'achievement', description: 'What they did', required: true, min_length: ACHIEVEMENT_LENGTH.min, max_length: ACHIEVEMENT_LENGTH.max },
      {
        type: ApplicationCommandOptionType.String,
        name: 'badge',
        description: 'How big it was',
        required: true,
        choices: BADGES.map((badge) => ({ name: `${BADGE_NAMES[badge]} (+${BADGE_POINTS[badge]} VIS)`, value: badge })),
      },
    ],
  },
  async execute(interaction, respond, { flows, database }) {
    const read = readRecognition(interaction);
    if (typeof read === 'string') return respond.acknowledge(ephemeralMessage(read));
    await respond.acknowledge(deferEphemeral);
    const settings = await engagementSettings(database.fork(), read.guildId);
    const member = interaction.member!;
    const manages = (BigInt(member.permissions || '0') & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild;
    if (settings.recognizerRoleIds.length > 0 && !manages && !member.roles.some((roleId) => settings.recognizerRoleIds.includes(roleId))) {
      return respond.editOriginal({ content: 'Only members with a recognizer role can recognise volunteers here.' });
    }
    await flows.start(recognizeVolunteer, {
      workflowId: recognitionWorkflowId(read.guildId, read.recognitionId),
      args: [{ ...read, reply: { applicationId: interaction.application_id, token: interaction.token } }],
      kind: 'recognition',
      guildId: read.guildId,
      summary: `${actorName(interaction)} recognises member ${read.volunteerId} (${read.badge.replace('_', ' ')})`,
      memberIds: [read.volunteerId, read.giverId],
      idReusePolicy: 'REJECT_DUPLICATE',
    });
  },
};

function readRecognition(interaction: APIChatInputApplicationCommandInteraction): Omit<RecognitionInput, 'reply'> | string {
  const guildId = interaction.guild_id;
  const giver = interaction.member;
  if (!guildId || !giver) return 'Recognitions are given in a server.';
  const options = new CommandOptions(interaction);
  const volunteer = options.user('volunteer');
  if (!volunteer) return 'Choose a volunteer.';
  if (volunteer.id === giver.user.id) return 'You cannot recognise yourself; ask someone who saw your work.';
  if (volunteer.bot) return 'Bots cannot be recognised; choose a volunteer.';
  if (!options.member('volunteer')) return `<@${volunteer.id}> is not a member of this server.`;
  const achievement = options.string('achievement')?.trim() ?? '';
  if (achievement.length < ACHIEVEMENT_LENGTH.min || achievement.length > ACHIEVEMENT_LENGTH.max) {
    return `Describe the achievement in ${ACHIEVEMENT_LENGTH.min} to ${ACHIEVEMENT_LENGTH.max} characters; yours has ${achievement.length}.`;
  }
  const badge = options.string('badge');
  if (!badge || !(BADGES as readonly string[]).includes(badge)) return 'Choose a badge: emerging, contributing, high_impact or exceptional.';
  return { guildId, recognitionId: interaction.id, giverId: giver.user.id, volunteerId: volunteer.id, channelId: interaction.channel?.id ?? '', badge: badge as Badge, achievement };
}

export const milestonesCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'milestones',
    description: 'Show VIS, level, recognitions and the next milestone (yours, or a member’s)',
    contexts: [0],
    options: [{ type: ApplicationCommandOptionType.User, name: 'member', description: 'Whose (default: yours)' }],
  },
  async execute(interaction, respond, { database }) {
    const guildId = interaction.guild_id;
    if (!guildId || !interaction.member) return respond.acknowledge(ephemeralMessage('Milestones are kept per server.'));
    await respond.acknowledge(deferEphemeral);
    const userId = new CommandOptions(interaction).userId('member') ?? interaction.member.user.id;
    const em = database.fork();
    const { score, recognitions } = await visOf(em, guildId, userId);
    const recent = await recentRecognitions(em, guildId, userId, 3);
    const next = nextLevel(score);
    const lines = [
      `**<@${userId}>**: VIS **${score}** · level **${LEVEL_NAMES[levelOf(score)]}** · ${recognitions} recognition${recognitions === 1 ? '' : 's'}`,
      next ? `Next milestone: **${LEVEL_NAMES[next.level]}** at ${next.at} VIS (${next.missing} to go).` : 'Top level reached: Exceptional.',
      ...(recent.length ? ['Latest:', ...recent.map((row) => `• ${BADGE_NAMES[row.badge as Badge]} from <@${row.giverId}>: ${row.achievement}`)] : []),
    ];
    await respond.editOriginal({ content: lines.join('\n').slice(0, 2000), allowed_mentions: { parse: [] } });
  },
};
