// Each protected server's raid settings, kept in the adapter's memory: the join and message listeners read them
// synchronously for every event (reloaded every few seconds when events arrive, at once after /config saves).
import { perDatabase, ReloadedSnapshot } from '../../db/reloaded-snapshot.js';
import { protectedServers, type RaidSettingsInput } from './settings.js';

export const raidRulebook = perDatabase(
  (database) =>
    new ReloadedSnapshot<ReadonlyMap<string, RaidSettingsInput>>(async () => {
      const servers = await protectedServers(database.fork());
      return new Map(servers.map(({ guildId, ...settings }) => [guildId, settings]));
    }, new Map()),
);
