// Members' DM channels, remembered. Discord gives a bot the same DM channel for a member every time it asks, and
// each ask spends one of the bot's 50 requests a second; kept in PostgreSQL, every worker asks once per member.
import { defineEntity, p } from '@mikro-orm/core';
import type { EntityManager } from '../db/database.js';

export const DirectChannelSchema = defineEntity({
  name: 'DirectChannel',
  tableName: 'direct_channels',
  properties: {
    userId: p.string().length(20).primary(),
    channelId: p.string().length(20),
    openedAt: p.datetime().defaultRaw('now()'),
  },
});

/** The DM channels known for these members (those not yet opened are absent). */
export async function knownDirectChannels(em: EntityManager, userIds: readonly string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await em.find(DirectChannelSchema, { userId: { $in: [...userIds] } }, { fields: ['userId', 'channelId'] });
  return new Map(rows.map((row) => [row.userId, row.channelId]));
}

export async function rememberDirectChannels(em: EntityManager, channels: ReadonlyMap<string, string>): Promise<void> {
  if (channels.size === 0) return;
  await em
    .createQueryBuilder(DirectChannelSchema)
    .insert([...channels].map(([userId, channelId]) => ({ userId, channelId })))
    .onConflict('userId')
    .merge(['channelId'])
    .execute('run');
}

/**
 * DMs already sent, by their nonce. Discord drops a nonce after a few minutes, but a step can run again later than
 * that (a reminder's local activity redone after its workflow task failed through an outage): the ledger keeps a
 * member from getting the same DM twice whenever the retry comes.
 */
export const SentDirectMessageSchema = defineEntity({
  name: 'SentDirectMessage',
  tableName: 'sent_direct_messages',
  properties: {
    channelId: p.string().length(20).primary(),
    nonce: p.string().length(25).primary(),
    messageId: p.string().length(20),
    sentAt: p.datetime().defaultRaw('now()'),
  },
});

export async function wasSent(em: EntityManager, channelId: string, nonce: string): Promise<boolean> {
  return (await em.count(SentDirectMessageSchema, { channelId, nonce })) > 0;
}

export async function recordSent(em: EntityManager, channelId: string, nonce: string, messageId: string): Promise<void> {
  await em.createQueryBuilder(SentDirectMessageSchema).insert({ channelId, nonce, messageId }).onConflict(['channelId', 'nonce']).ignore().execute('run');
}
