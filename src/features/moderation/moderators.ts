// Who may moderate, and who acts without approval: Discord's own permission for the command (or Administrator), or
// one of the server's moderator roles; kicks and bans apply at once only for the server's direct-action roles.
import { PermissionFlagsBits, type APIInteractionGuildMember } from 'discord-api-types/v10';
import type { ModerationSettingsInput } from './store/cases.js';

export type ModeratorVerdict = { allowed: true; direct: boolean } | { allowed: false; reason: string };

export function moderatorVerdict(
  member: APIInteractionGuildMember,
  settings: Pick<ModerationSettingsInput, 'moderatorRoleIds' | 'directActionRoleIds'>,
  permission: bigint,
): ModeratorVerdict {
  const granted = BigInt(member.permissions || '0');
  const administrator = (granted & PermissionFlagsBits.Administrator) !== 0n;
  const holdsRole = (roles: readonly string[]) => member.roles.some((role) => roles.includes(role));
  const allowed = administrator || (granted & permission) === permission || holdsRole(settings.moderatorRoleIds);
  if (!allowed) return { allowed: false, reason: 'Only moderators can do that.' };
  return { allowed: true, direct: holdsRole(settings.directActionRoleIds) };
}
