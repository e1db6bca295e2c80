// Each server's automatic moderation rules, compiled and kept in the adapter's memory: the message listener reads
// them synchronously for every message. They are reloaded from PostgreSQL every few seconds when messages arrive
// (never on a timer of their own), and at once when this process saves new settings.
import type { Database } from '../../../db/database.js';
import { automodServers } from '../store/cases.js';
import { compileRules, type CompiledRules } from './prefilter.js';

/** How stale another process's settings change may be before this one sees it. */
const RELOAD_AFTER_MS = 10_000;

export class AutomodRulebook {
  private rules = new Map<string, CompiledRules>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly database: Database) {}

  /** The server's compiled rules when automatic moderation is on there; undefined otherwise or before the first load. */
  rulesFor(guildId: string, now = Date.now()): CompiledRules | undefined {
    // A failed load keeps the rules it had and is tried again after the same wait.
    if (now - this.loadedAt > RELOAD_AFTER_MS && !this.loading) this.reload().catch(() => {});
    return this.rules.get(guildId);
  }

  /** Reloads after any load in flight (which may predate a change), and settles when the new rules are in use. */
  reload(): Promise<void> {
    const next = (this.loading ?? Promise.resolve())
      .catch(() => {})
      .then(() => this.load())
      .finally(() => {
        if (this.loading === next) this.loading = undefined;
      });
    this.loading = next;
    return next;
  }

  private async load(): Promise<void> {
    this.loadedAt = Date.now();
    const servers = await automodServers(this.database.fork());
    this.rules = new Map(servers.map((server) => [server.guildId, compileRules(server.automod)]));
  }
}

const rulebooks = new WeakMap<Database, AutomodRulebook>();

/** One rulebook per database per process, shared by the message listener and the settings route. */
export function automodRulebook(database: Database): AutomodRulebook {
  let rulebook = rulebooks.get(database);
  if (!rulebook) rulebooks.set(database, (rulebook = new AutomodRulebook(database)));
  return rulebook;
}
