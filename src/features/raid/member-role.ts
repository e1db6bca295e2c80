// Whether Steward can give the screening gate's member role: Discord lets a bot give only roles below its own highest
// role, never a managed one (a bot's or an integration's), and only with Manage Roles. Checked when it is configured.
import type { REST } from '@discordjs/rest';
import { PermissionFlagsBits as P, Routes, type APIGuild, type APIGuildMember, type APIUser } from 'discord-api-types/v10';
import { basePermissions } from '../../discord/permissions.js';

export async function memberRoleProblem(rest: REST, guildId: string, roleId: string): Promise<string | undefined> {
  const [guild, me] = (await Promise.all([rest.get(Routes.guild(guildId)), rest.get(Routes.user('@me'))])) as [APIGuild, APIUser];
  const member = (await rest.get(Routes.guildMember(guildId, me.id))) as APIGuildMember;
  const role = guild.roles.find((candidate) => candidate.id === roleId);
  if (!role || role.id === guildId) return 'That is not a role Steward can give.';
  if (role.managed) return `<@&${roleId}> is managed by an integration; Steward cannot give it.`;
  if ((basePermissions({ id: guild.id, ownerId: guild.owner_id, roles: guild.roles }, { userId: me.id, roleIds: member.roles }) & P.ManageRoles) === 0n) return 'Steward needs Manage Roles to give the member role.';
  const highest = Math.max(...guild.roles.filter((candidate) => member.roles.includes(candidate.id)).map((candidate) => candidate.position));
  if (role.position >= highest) return `<@&${roleId}> is not below Steward's highest role; move Steward's role above it.`;
  return undefined;
}
