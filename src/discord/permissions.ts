// A member's permissions in a channel, computed as Discord documents it (topics/permissions, "Permission
// Overwrites"): the roles' base, then @everyone's overwrite, the member's roles' overwrites, the member's own.
import type { APIOverwrite, APIRole } from 'discord-api-types/v10';

const ADMINISTRATOR = 1n << 3n;
const ALL = (1n << 64n) - 1n;

export interface PermissionSubject {
  userId: string;
  roleIds: readonly string[];
}

export function basePermissions(guild: { id: string; ownerId: string; roles: readonly APIRole[] }, member: PermissionSubject): bigint {
  if (member.userId === guild.ownerId) return ALL;
  let permissions = 0n;
  for (const role of guild.roles) if (role.id === guild.id || member.roleIds.includes(role.id)) permissions |= BigInt(role.permissions);
  return permissions & ADMINISTRATOR ? ALL : permissions;
}

export function channelPermissions(base: bigint, guildId: string, member: PermissionSubject, overwrites: readonly APIOverwrite[] = []): bigint {
  if (base & ADMINISTRATOR) return ALL;
  let permissions = base;
  const everyone = overwrites.find((overwrite) => overwrite.id === guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.id !== guildId && member.roleIds.includes(overwrite.id)) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = overwrites.find((overwrite) => overwrite.id === member.userId);
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
  return permissions;
}
