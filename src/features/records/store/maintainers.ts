// Maintainers and the links from Discord users to them, as attribution reads them
// (activities/records/attribution.ts).
import { randomUUID } from 'node:crypto';
import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { StoreError } from '../../../db/store-error.js';
import { MaintainerLinkSchema, MaintainerSchema, type Maintainer, type MaintainerLink } from './entities.js';

export type StoredMaintainer = Maintainer;

/** `manual`: set by a person through the API; `matched`: found by name during a review and remembered. */
export type LinkVia = MaintainerLink['via'];

export type StoredMaintainerLink = MaintainerLink;

export async function listMaintainers(em: EntityManager, guildId: string): Promise<StoredMaintainer[]> {
  return em.find(MaintainerSchema, { guildId }, { orderBy: [{ [raw('lower(name)')]: 'asc' }, { id: 'asc' }] });
}

export async function createMaintainer(
  em: EntityManager,
  guildId: string,
  { name, aliases = [] }: { name: string; aliases?: readonly string[] },
): Promise<StoredMaintainer> {
  const id = randomUUID();
  await em.insert(MaintainerSchema, { id, guildId, name, aliases: [...aliases] });
  return em.findOneOrFail(MaintainerSchema, { id });
}

/**
 * Links a Discord user to a maintainer, replacing an earlier link, except that a remembered name match never
 * replaces a link a person set by hand. Returns the link in force afterwards; its createdAt is when that link
 * was made, so a replaced link gets a new one. Call inside a transaction.
 */
export async function linkMaintainer(
  em: EntityManager,
  guildId: string,
  discordUserId: string,
  maintainerId: string,
  via: LinkVia,
): Promise<StoredMaintainerLink> {
  if (!(await em.count(MaintainerSchema, { id: maintainerId, guildId }))) {
    throw new StoreError('invalid', 'invalid_link', 'The link is invalid.', [
      { field: 'maintainerId', message: 'no such maintainer in this server' },
    ]);
  }
  const existing = await em.findOne(MaintainerLinkSchema, { guildId, discordUserId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const keepsManualLink = existing?.via === 'manual' && via !== 'manual';
  if (!keepsManualLink) {
    // An upsert, so two first links made at once end as one row, the later one winning.
    await em.upsert(
      MaintainerLinkSchema,
      { guildId, discordUserId, maintainerId, via, createdAt: new Date() },
      { onConflictFields: ['guildId', 'discordUserId'], onConflictAction: 'merge', disableIdentityMap: true },
    );
  }
  return em.findOneOrFail(MaintainerLinkSchema, { guildId, discordUserId }, { refresh: true });
}

export async function findLink(em: EntityManager, guildId: string, discordUserId: string): Promise<StoredMaintainerLink | undefined> {
  return (await em.findOne(MaintainerLinkSchema, { guildId, discordUserId })) ?? undefined;
}
