// Who and where an interaction is, in the words an operator reads in a flow's summary ("alice", "#maintenance").
// Discord sends both with every interaction, so naming costs no request.
import type { APIInteraction, APIInteractionGuildMember, APIUser } from 'discord-api-types/v10';

/** The member's server nickname, else their display name, else their username. */
export function nameOf(member: Pick<APIInteractionGuildMember, 'nick'> | undefined, user: Pick<APIUser, 'global_name' | 'username'> | undefined): string {
  return member?.nick ?? user?.global_name ?? user?.username ?? 'someone';
}

export function actorName(interaction: APIInteraction): string {
  return nameOf(interaction.member, interaction.member?.user ?? interaction.user);
}

export function actorId(interaction: APIInteraction): string | undefined {
  return interaction.member?.user.id ?? interaction.user?.id;
}

/** "#general", or "a DM" outside a server. */
export function channelName(interaction: APIInteraction): string {
  const channel = interaction.channel as { name?: string | null } | undefined;
  if (channel?.name) return `#${channel.name}`;
  return interaction.guild_id ? 'a channel' : 'a DM';
}
