// Telegram's side of approvals: one-time link codes, linked accounts, and which Telegram message shows which request.
import { createHash, randomInt } from 'node:crypto';
import type { EntityManager } from '../../../db/database.js';
import { TelegramCardSchema, TelegramLinkCodeSchema, TelegramLinkSchema, type TelegramCard } from './entities.js';

/** How long a member has to send their code to the bot. */
export const LINK_CODE_MINUTES = 10;

/** A fresh 8-digit code for the member; earlier unused codes of theirs stop working. */
export async function issueLinkCode(em: EntityManager, guildId: string, discordUserId: string): Promise<string> {
  const code = String(randomInt(10_000_000, 100_000_000));
  await em.nativeDelete(TelegramLinkCodeSchema, { guildId, discordUserId });
  em.create(TelegramLinkCodeSchema, { codeHash: hashOf(code), guildId, discordUserId, expiresAt: new Date(Date.now() + LINK_CODE_MINUTES * 60_000) });
  await em.flush();
  return code;
}

/** Links the Telegram account to the code's member (once: the code is spent), or undefined for an unknown or stale code. */
export async function redeemLinkCode(em: EntityManager, code: string, telegramUserId: string): Promise<{ guildId: string; discordUserId: string } | undefined> {
  const found = await em.findOne(TelegramLinkCodeSchema, { codeHash: hashOf(code.trim()) });
  if (!found) return undefined;
  em.remove(found);
  if (found.expiresAt.getTime() < Date.now()) {
    await em.flush();
    return undefined;
  }
  await em.upsert(TelegramLinkSchema, { guildId: found.guildId, telegramUserId, discordUserId: found.discordUserId, linkedAt: new Date() }, { disableIdentityMap: true });
  await em.flush();
  return { guildId: found.guildId, discordUserId: found.discordUserId };
}

export async function linkedMember(em: EntityManager, guildId: string, telegramUserId: string): Promise<string | undefined> {
  return (await em.findOne(TelegramLinkSchema, { guildId, telegramUserId }))?.discordUserId;
}

export async function telegramCardOf(em: EntityManager, workflowId: string): Promise<TelegramCard | null> {
  return em.findOne(TelegramCardSchema, { workflowId });
}

export async function telegramCardAt(em: EntityManager, chatId: string, messageId: number): Promise<TelegramCard | null> {
  return em.findOne(TelegramCardSchema, { chatId, messageId });
}

export async function saveTelegramCard(em: EntityManager, card: TelegramCard): Promise<void> {
  await em.upsert(TelegramCardSchema, card, { disableIdentityMap: true });
}

function hashOf(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
