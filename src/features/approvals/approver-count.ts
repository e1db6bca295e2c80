// How many members could approve a request: those holding an approver role, administrators and the owner (bots
// never). A quorum larger than that could never be met, so settings that ask for one are refused.
import type { REST } from '@discordjs/rest';
import { PermissionFlagsBits, Routes, type APIGuild, type APIGuildMember } from 'discord-api-types/v10';

const PAGE = 1_000;

/** The count, or undefined when Discord will not list the members (the Server Members intent is off). */
export async function countApprovers(discord: REST, guildId: string, approverRoleIds: readonly string[]): Promise<number | undefined> {
  const guild = (await discord.get(Routes.guild(guildId))) as APIGuild;
  const adminRoles = new Set(guild.roles.filter((role) => (BigInt(role.permissions) & PermissionFlagsBits.Administrator) !== 0n).map((role) => role.id));
  let count = 0;
  let after = '0';
  for (;;) {
    let page: APIGuildMember[];
    try {
      page = (await discord.get(Routes.guildMembers(guildId), { query: new URLSearchParams({ limit: String(PAGE), after }) })) as APIGuildMember[];
    } catch (error) {
      if ((error as { code?: number }).code === 50001) return undefined;
      throw error;
    }
    for (const member of page) {
      if (!member.user || member.user.bot) continue;
      const approver = member.user.id === guild.owner_id || member.roles.some((role) => adminRoles.has(role) || approverRoleIds.includes(role));
      if (approver) count++;
    }
    if (page.length < PAGE) return count;
    after = page.at(-1)!.user.id;
  }
}

/** What to tell whoever set a quorum no one could meet; undefined when it can be met (or cannot be counted). */
export async function unreachableQuorum(discord: REST | undefined, guildId: string, approverRoleIds: readonly string[], quorum: number): Promise<string | undefined> {
  if (quorum <= 1 || !discord) return undefined;
  const approvers = await countApprovers(discord, guildId, approverRoleIds);
  if (approvers === undefined || quorum <= approvers) return undefined;
  return `A quorum of ${quorum} can never be met: only ${approvers} member${approvers === 1 ? '' : 's'} can approve (an approver role, Administrator, or the owner). Lower the quorum or give more members the role.`;
}
