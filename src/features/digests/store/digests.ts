// Digest parts as posted, and the members subscribed to the digest by DM.
import type { EntityManager } from '../../../db/database.js';
import { DigestPostSchema, DigestSubscriptionSchema } from './entities.js';

/** The message of a part posted before (its id, or `dm`), or undefined. */
export async function postedPart(em: EntityManager, guildId: string, periodEnd: string, target: string): Promise<string | undefined> {
  return (await em.findOne(DigestPostSchema, { guildId, periodEnd, target }))?.messageId;
}

export async function recordPostedPart(em: EntityManager, part: { guildId: string; periodEnd: string; target: string; messageId: string }): Promise<void> {
  await em.upsert(DigestPostSchema, { ...part, postedAt: new Date() }, { onConflictAction: 'ignore' });
}

export async function digestSubscribers(em: EntityManager, guildId: string): Promise<string[]> {
  return (await em.find(DigestSubscriptionSchema, { guildId }, { orderBy: { userId: 'asc' } })).map((row) => row.userId);
}

/** True when the member was not subscribed before. */
export async function subscribe(em: EntityManager, guildId: string, userId: string): Promise<boolean> {
  const existing = await em.findOne(DigestSubscriptionSchema, { guildId, userId });
  if (existing) return false;
  em.create(DigestSubscriptionSchema, { guildId, userId, subscribedAt: new Date() });
  await em.flush();
  return true;
}

/** True when the member was subscribed. */
export async function unsubscribe(em: EntityManager, guildId: string, userId: string): Promise<boolean> {
  return (await em.nativeDelete(DigestSubscriptionSchema, { guildId, userId })) > 0;
}
