// Each server's automatic moderation rules, compiled and kept in the adapter's memory: the message listener reads
// them synchronously for every message (reloaded every few seconds when messages arrive, at once after a save).
import { perDatabase, ReloadedSnapshot } from '../../../db/reloaded-snapshot.js';
import { automodServers } from '../store/cases.js';
import { compileRules, type CompiledRules } from './prefilter.js';

export const automodRulebook = perDatabase(
  (database) =>
    new ReloadedSnapshot<ReadonlyMap<string, CompiledRules>>(async () => {
      const servers = await automodServers(database.fork());
      return new Map(servers.map((server) => [server.guildId, compileRules(server.automod)]));
    }, new Map()),
);
