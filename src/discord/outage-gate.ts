// Interactions waiting out an outage (of Temporal or the database) run again through one gate per process: one
// shared back-off instead of one per interaction, and a few re-runs at a time. Without it, a thousand waiting
// clicks each retry on their own schedule and, once the dependency is back (or half back), hit it all at once:
// the chaos suite saw 33,564 re-runs fill the Temporal frontend's long-poll limit for the namespace.

export interface OutageGateOptions {
  /** The pause after the first failure, doubled by each further failure up to `longestPauseMs`. */
  firstPauseMs: number;
  longestPauseMs: number;
  /** Re-runs in flight at once; the others wait their turn. */
  concurrentReruns: number;
}

export class OutageGate {
  #pauseMs: number;
  /** Before this time (epoch ms) no re-run starts: the latest failure's pause. */
  #closedUntil = 0;
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(private readonly options: OutageGateOptions) {
    this.#pauseMs = options.firstPauseMs;
  }

  /** An interaction met an outage: every waiting re-run holds off for the shared pause, which grows. */
  failed(): void {
    this.#closedUntil = Math.max(this.#closedUntil, Date.now() + this.#pauseMs);
    this.#pauseMs = Math.min(this.#pauseMs * 2, this.options.longestPauseMs);
  }

  /** A run went through: the dependency is back, so the next outage starts from the first pause again. */
  succeeded(): void {
    this.#pauseMs = this.options.firstPauseMs;
    this.#closedUntil = 0;
  }

  /** When the gate opens next (epoch ms); a re-run that would start after its deadline is not worth waiting for. */
  get opensAt(): number {
    return Math.max(this.#closedUntil, Date.now());
  }

  /**
   * Waits for the gate to open and for a free place among the re-runs in flight, then runs `rerun`. A failure
   * recorded meanwhile closes the gate again, so a turn is taken only while it is open.
   */
  async rerun<T>(rerun: () => Promise<T>): Promise<T> {
    for (;;) {
      await delayUntil(this.#closedUntil);
      await this.#place();
      if (Date.now() >= this.#closedUntil) break;
      this.#leave();
    }
    try {
      return await rerun();
    } finally {
      this.#leave();
    }
  }

  #place(): Promise<void> {
    if (this.#running < this.options.concurrentReruns) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  /** Hands the place to the next waiting re-run, if any; otherwise frees it. */
  #leave(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#running--;
  }
}

function delayUntil(epochMs: number): Promise<void> {
  const waitMs = epochMs - Date.now();
  return waitMs > 0 ? new Promise((resolve) => setTimeout(resolve, waitMs)) : Promise.resolve();
}
