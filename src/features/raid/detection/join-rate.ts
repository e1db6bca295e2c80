// Join-raid detection: joins per server in a sliding window, weighted by account age, so a burst of new accounts
// trips it and organic growth of aged accounts (even a join a second) never does. Pure and in memory: it runs in
// the adapter for every join, with no workflow until a raid is seen.
import { SlidingWindow } from './sliding-window.js';

export interface JoinRules {
  joinThreshold: number;
  joinWindowSeconds: number;
  youngAccountDays: number;
}

export interface Join {
  guildId: string;
  userId: string;
  at: number;
  accountCreatedAt: number;
}

export interface JoinRaid {
  summary: string;
  joinerIds: string[];
}

const DAY_MS = 86_400_000;

/** A join's weight: an account under a day old counts double, one under `youngAccountDays` once, an older one half. */
export function joinWeight(accountAgeMs: number, youngAccountDays: number): number {
  if (accountAgeMs < DAY_MS) return 2;
  return accountAgeMs < youngAccountDays * DAY_MS ? 1 : 0.5;
}

interface WeightedJoin {
  at: number;
  weight: number;
  userId: string;
  young: boolean;
}

interface ServerJoins {
  window: SlidingWindow<WeightedJoin>;
  /** When this server last reported a raid: a raid still under way is reported again once per window, not per join. */
  reportedAt: number;
}

export class JoinRateDetector {
  private readonly servers = new Map<string, ServerJoins>();

  /** Counts a join; returns the raid when this join crosses the threshold (or keeps it crossed a window later). */
  record(join: Join, rules: JoinRules): JoinRaid | undefined {
    const windowMs = rules.joinWindowSeconds * 1000;
    let server = this.servers.get(join.guildId);
    if (!server) this.servers.set(join.guildId, (server = { window: new SlidingWindow(windowMs), reportedAt: -Infinity }));
    server.window.resize(windowMs);
    const weight = joinWeight(join.at - join.accountCreatedAt, rules.youngAccountDays);
    server.window.add({ at: join.at, weight, userId: join.userId, young: weight >= 1 });
    if (server.window.total < rules.joinThreshold || join.at - server.reportedAt < windowMs) return undefined;
    server.reportedAt = join.at;
    const joins = server.window.current();
    const young = joins.filter((entry) => entry.young);
    return {
      summary: `${joins.length} joins in ${rules.joinWindowSeconds} s (${young.length} account${young.length === 1 ? '' : 's'} younger than ${rules.youngAccountDays} days)`,
      joinerIds: young.map((entry) => entry.userId),
    };
  }
}
