// Which volunteer-platform user a Discord member is, per server: Q2Q and the platform know people by their id.
import type { EntityManager } from '../../../db/database.js';
import { VolunteerLinkSchema } from './entities.js';

export async function linkVolunteer(em: EntityManager, guildId: string, userId: string, platformUserId: string): Promise<void> {
  await em.upsert(VolunteerLinkSchema, { guildId, userId, platformUserId, linkedAt: new Date() }, { disableIdentityMap: true });
}

export async function unlinkVolunteer(em: EntityManager, guildId: string, userId: string): Promise<boolean> {
  return (await em.nativeDelete(VolunteerLinkSchema, { guildId, userId })) > 0;
}

export async function platformUserOf(em: EntityManager, guildId: string, userId: string): Promise<string | undefined> {
  return (await em.findOne(VolunteerLinkSchema, { guildId, userId }))?.platformUserId;
}
