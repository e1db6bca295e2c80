// /link: which volunteer-platform user a member is, so Q2Q and the platform know whose feedback it is. Set by the
// server's managers (a member could otherwise claim anyone's platform account); the HTTP API sets it for systems.
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { linkVolunteer, platformUserOf, unlinkVolunteer } from './store/links.js';

export const PLATFORM_USER_ID = /^[\w.:@-]{1,100}$/;

export const linkCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'link',
    description: "Link a member to their volunteer-platform account (or show or remove the link)",
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.User, name: 'member', description: 'The member', required: true },
      { type: ApplicationCommandOptionType.String, name: 'platform-id', description: 'Their user id on the volunteer platform', max_length: 100 },
      { type: ApplicationCommandOptionType.Boolean, name: 'remove', description: 'Remove the link' },
    ],
  },
  async execute(interaction, respond, { database }) {
    const guildId = interaction.guild_id;
    if (!guildId || !interaction.member) return respond.acknowledge(ephemeralMessage('Links are kept per server.'));
    const granted = BigInt(interaction.member.permissions || '0');
    if ((granted & PermissionFlagsBits.ManageGuild) === 0n && (granted & PermissionFlagsBits.Administrator) === 0n) {
      return respond.acknowledge(ephemeralMessage('Only members who can manage the server can link accounts.'));
    }
    const options = new CommandOptions(interaction);
    const userId = options.userId('member');
    const platformId = options.string('platform-id')?.trim();
    if (!userId) return respond.acknowledge(ephemeralMessage('Choose a member.'));
    if (platformId !== undefined && !PLATFORM_USER_ID.test(platformId)) return respond.acknowledge(ephemeralMessage('A platform id is 1–100 letters, digits and . : @ _ -'));
    await respond.acknowledge(deferEphemeral);
    let content: string;
    if (options.boolean('remove')) {
      content = (await database.transaction((em) => unlinkVolunteer(em, guildId, userId))) ? `<@${userId}> is no longer linked.` : `<@${userId}> was not linked.`;
    } else if (platformId) {
      await database.transaction((em) => linkVolunteer(em, guildId, userId, platformId));
      content = `<@${userId}> is linked to platform user \`${platformId}\`.`;
    } else {
      const linked = await platformUserOf(database.fork(), guildId, userId);
      content = linked ? `<@${userId}> is linked to platform user \`${linked}\`.` : `<@${userId}> is not linked; their feedback reaches Q2Q as \`discord:${userId}\`.`;
    }
    await respond.editOriginal({ content, allowed_mentions: { parse: [] } });
  },
};
