// Maintainers and the links from Discord users to them, as attribution reads them (see records/attribution.ts).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../../../db/database.js';
import type { Maintainer, MaintainerLink } from '../../../../activities/records/attribution.js';
import { StoreError } from '../../../db/store-error.js';
import { textArray, textArrayParam, toIso } from './sql.js';

export interface StoredMaintainer extends Maintainer {
  aliases: string[];
  createdAt: string;
}

/** `manual`: set by a person through the API; `matched`: found by name during a review and remembered. */
export type LinkVia = 'manual' | 'matched';

export interface StoredMaintainerLink extends MaintainerLink {
  via: LinkVia;
  createdAt: string;
}

interface MaintainerRow {
  id: string;
  name: string;
  aliases: string[];
  created_at: string;
}

interface LinkRow {
  discord_user_id: string;
  maintainer_id: string;
  via: LinkVia;
  created_at: string;
}

const linkColumns = 'discord_user_id, maintainer_id, via, created_at';

export async function listMaintainers(em: EntityManager, guildId: string): Promise<StoredMaintainer[]> {
  const rows = await em.execute<MaintainerRow[]>(
    'select id, name, aliases, created_at from maintainers where guild_id = ? order by lower(name), id',
    [guildId],
  );
  return rows.map(toMaintainer);
}

export async function createMaintainer(
  em: EntityManager,
  guildId: string,
  { name, aliases = [] }: { name: string; aliases?: readonly string[] },
): Promise<StoredMaintainer> {
  const [row] = await em.execute<MaintainerRow[]>(
    `insert into maintainers (id, guild_id, name, aliases) values (?, ?, ?, array(${textArray}))
     returning id, name, aliases, created_at`,
    [randomUUID(), guildId, name, textArrayParam(aliases)],
  );
  if (!row) throw new Error('insert into maintainers returned no row');
  return toMaintainer(row);
}

/**
 * Links a Discord user to a maintainer, replacing an earlier link, except that a remembered name match never
 * replaces a link a person set by hand. Returns the link in force afterwards; its createdAt is when that link
 * was made, so a replaced link gets a new one.
 */
export async function linkMaintainer(
  em: EntityManager,
  guildId: string,
  discordUserId: string,
  maintainerId: string,
  via: LinkVia,
): Promise<StoredMaintainerLink> {
  const [maintainer] = await em.execute('select 1 from maintainers where id = ? and guild_id = ?', [
    maintainerId,
    guildId,
  ]);
  if (!maintainer) {
    throw new StoreError('invalid', 'invalid_link', 'The link is invalid.', [
      { field: 'maintainerId', message: 'no such maintainer in this server' },
    ]);
  }
  await em.execute(
    `insert into maintainer_links (guild_id, discord_user_id, maintainer_id, via) values (?, ?, ?, ?)
     on conflict (guild_id, discord_user_id) do update
       set maintainer_id = excluded.maintainer_id, via = excluded.via, created_at = now()
       where maintainer_links.via <> 'manual' or excluded.via = 'manual'`,
    [guildId, discordUserId, maintainerId, via],
  );
  const link = await findLink(em, guildId, discordUserId);
  if (!link) throw new Error(`maintainer link for ${discordUserId} vanished after its upsert`);
  return link;
}

export async function findLink(
  em: EntityManager,
  guildId: string,
  discordUserId: string,
): Promise<StoredMaintainerLink | undefined> {
  const [row] = await em.execute<LinkRow[]>(
    `select ${linkColumns} from maintainer_links where guild_id = ? and discord_user_id = ?`,
    [guildId, discordUserId],
  );
  return row && toLink(row);
}

function toMaintainer(row: MaintainerRow): StoredMaintainer {
  return { id: row.id, name: row.name, aliases: row.aliases, createdAt: toIso(row.created_at) };
}

function toLink(row: LinkRow): StoredMaintainerLink {
  return {
    discordUserId: row.discord_user_id,
    maintainerId: row.maintainer_id,
    via: row.via,
    createdAt: toIso(row.created_at),
  };
}
