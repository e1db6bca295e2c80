// A slash command's options by name, read from the raw payload: the values as Discord sent them, and the users and
// members its `resolved` data describes (a member is there only if the user is in the server).
import {
  ApplicationCommandOptionType,
  type APIChatInputApplicationCommandInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIInteractionDataResolvedGuildMember,
  type APIUser,
} from 'discord-api-types/v10';

export class CommandOptions {
  private readonly values = new Map<string, string | number | boolean>();

  constructor(private readonly interaction: APIChatInputApplicationCommandInteraction) {
    const walk = (options: readonly APIApplicationCommandInteractionDataOption[] | undefined) => {
      for (const option of options ?? []) {
        if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
          walk(option.options);
        } else if ('value' in option) {
          this.values.set(option.name, option.value);
        }
      }
    };
    walk(interaction.data.options);
  }

  string(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === 'string' ? value : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.values.get(name);
    return typeof value === 'boolean' ? value : undefined;
  }

  integer(name: string): number | undefined {
    const value = this.values.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  /** A Number option (a float); an Integer option reads the same. */
  number(name: string): number | undefined {
    return this.integer(name);
  }

  /** A user option's id. */
  userId(name: string): string | undefined {
    return this.string(name);
  }

  user(name: string): APIUser | undefined {
    const id = this.userId(name);
    return id ? this.interaction.data.resolved?.users?.[id] : undefined;
  }

  /** The member behind a user option, or undefined when that user is not in the server. */
  member(name: string): APIInteractionDataResolvedGuildMember | undefined {
    const id = this.userId(name);
    return id ? this.interaction.data.resolved?.members?.[id] : undefined;
  }

  /** The subcommand's name, e.g. `show` in `/moderation show`. */
  get subcommand(): string | undefined {
    const first = this.interaction.data.options?.[0];
    if (first?.type === ApplicationCommandOptionType.Subcommand) return first.name;
    if (first?.type === ApplicationCommandOptionType.SubcommandGroup) return first.options[0]?.name;
    return undefined;
  }
}
