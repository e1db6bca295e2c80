// `/config`: one command for every feature's server settings. Each feature contributes a subcommand group
// (`/config approvals set …`, `/config automod show`), so the command list stays short and the platform knows no
// feature. Only members who can manage the server may use it; each group answers ephemerally, in its own words.
import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type APIApplicationCommandSubcommandOption,
  type APIChatInputApplicationCommandInteraction,
} from 'discord-api-types/v10';
import type { AdapterContext, Command } from './handlers.js';
import { CommandOptions } from './options.js';
import { deferEphemeral, ephemeralMessage } from './responder.js';

export interface ConfigGroup {
  /** `/config <name> …` */
  name: string;
  description: string;
  subcommands: APIApplicationCommandSubcommandOption[];
  /** Applies or shows the settings; returns what to tell the member. */
  run(input: { guildId: string; userId: string; subcommand: string; options: CommandOptions }, context: AdapterContext): Promise<string>;
}

const MANAGE = PermissionFlagsBits.ManageGuild;

/**
 * Settings a group's schema refused, in the member's terms: each problem under the option's name (`optionNames`
 * maps a settings field to its option), and that nothing was saved.
 */
export function refusedSettings(issues: readonly { path: readonly PropertyKey[]; message: string }[], optionNames: Readonly<Record<string, string>> = {}): string {
  return `${issues.map((issue) => `${optionNames[String(issue.path[0])] ?? issue.path.map(String).join('.')}: ${issue.message}`).join('; ')}. Nothing was changed.`;
}

export function configCommand(groups: readonly ConfigGroup[]): Command<APIChatInputApplicationCommandInteraction> {
  const byName = new Map(groups.map((group) => [group.name, group]));
  return {
    data: {
      name: 'config',
      description: "Steward's settings for this server",
      default_member_permissions: String(MANAGE),
      contexts: [0],
      options: groups.map((group) => ({
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: group.name,
        description: group.description,
        options: group.subcommands,
      })),
    },
    async execute(interaction, respond, context) {
      const { guild_id: guildId, member } = interaction;
      if (!guildId || !member) return respond.acknowledge(ephemeralMessage('Settings are changed in a server.'));
      const granted = BigInt(member.permissions || '0');
      if ((granted & MANAGE) !== MANAGE && (granted & PermissionFlagsBits.Administrator) === 0n) {
        return respond.acknowledge(ephemeralMessage("Only members who can manage the server can change Steward's settings."));
      }
      const group = byName.get(interaction.data.options?.[0]?.name ?? '');
      const options = new CommandOptions(interaction);
      if (!group || !options.subcommand) return respond.acknowledge(ephemeralMessage('This setting is not available any more.'));
      await respond.acknowledge(deferEphemeral);
      const content = await group.run({ guildId, userId: member.user.id, subcommand: options.subcommand, options }, context);
      await respond.editOriginal({ content: content.slice(0, 2000), allowed_mentions: { parse: [] } });
    },
  };
}
