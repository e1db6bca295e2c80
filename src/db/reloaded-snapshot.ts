// A value read from PostgreSQL and kept in memory for code that must answer synchronously for every gateway event
// (per-server rules). It is reloaded when read after `reloadAfterMs` (never on a timer of its own, so an idle
// process reads nothing), and at once by `reload()` when this process saves a change; other processes see a change
// within `reloadAfterMs`. A failed load keeps the last value and is tried again after the same wait.
import type { Database } from './database.js';

export class ReloadedSnapshot<T> {
  private value: T;
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    initial: T,
    private readonly reloadAfterMs = 10_000,
  ) {
    this.value = initial;
  }

  /** The value as last loaded (the initial one before the first load settles). */
  current(now = Date.now()): T {
    if (now - this.loadedAt > this.reloadAfterMs && !this.loading) this.reload().catch(() => {});
    return this.value;
  }

  /** Reloads after any load in flight (which may predate a change), and settles when the new value is in use. */
  reload(): Promise<void> {
    const next = (this.loading ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        this.loadedAt = Date.now();
        this.value = await this.load();
      })
      .finally(() => {
        if (this.loading === next) this.loading = undefined;
      });
    this.loading = next;
    return next;
  }
}

/** One instance per database per process of whatever `create` makes (a feature's rulebook). */
export function perDatabase<T extends object>(create: (database: Database) => T) {
  const instances = new WeakMap<Database, T>();
  return (database: Database): T => {
    let instance = instances.get(database);
    if (!instance) instances.set(database, (instance = create(database)));
    return instance;
  };
}
