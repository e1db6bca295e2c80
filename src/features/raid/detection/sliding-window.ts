// A time window of weighted entries (joins, messages): add one, drop those older than the window, read the total.
// A queue with a moving head, so each entry is added and dropped once whatever the rate.
export class SlidingWindow<Entry extends { at: number; weight: number }> {
  private entries: Entry[] = [];
  private head = 0;
  private sum = 0;

  constructor(private windowMs: number) {}

  resize(windowMs: number): void {
    this.windowMs = windowMs;
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    this.sum += entry.weight;
    this.prune(entry.at);
  }

  /** Drops what is older than the window at `now`. */
  prune(now: number): void {
    while (this.head < this.entries.length && this.entries[this.head]!.at <= now - this.windowMs) this.sum -= this.entries[this.head++]!.weight;
    // Keep the array from growing without end: compact once the dropped part is the larger.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.entries.length) this.sum = 0;
  }

  get total(): number {
    return this.sum;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  current(): Entry[] {
    return this.entries.slice(this.head);
  }
}
