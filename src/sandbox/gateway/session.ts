// A resumable gateway session: its sequence counter and the recent dispatches it may have to replay after a RESUME.
import type { ApplicationRecord } from '../state.js';

const REPLAY_CAPACITY = 20_000;

export interface SessionTransport {
  sendText(text: string): void;
}

export class GatewaySession {
  seq = 0;
  transport: SessionTransport | null = null;
  detachedAt = 0;
  /** Serialized dispatches, oldest first; trimmed in halves so appending stays O(1) amortised. */
  private replay: Array<{ s: number; text: string }> = [];

  constructor(
    readonly id: string,
    readonly app: ApplicationRecord,
    readonly intents: number,
    readonly shard: readonly [number, number],
  ) {}

  push(event: string, data: unknown): void {
    const s = ++this.seq;
    const text = JSON.stringify({ op: 0, t: event, s, d: data });
    this.replay.push({ s, text });
    if (this.replay.length > REPLAY_CAPACITY * 2) this.replay = this.replay.slice(-REPLAY_CAPACITY);
    this.transport?.sendText(text);
  }

  /** The dispatches after `seq`, or null when some of them were already dropped (the client must re-identify). */
  missedSince(seq: number): string[] | null {
    if (seq > this.seq) return null;
    const first = this.replay[0]?.s ?? this.seq + 1;
    if (seq + 1 < first) return null;
    return this.replay.slice(seq + 1 - first).map((entry) => entry.text);
  }

  attach(transport: SessionTransport): void {
    this.transport = transport;
    this.detachedAt = 0;
  }

  detach(transport: SessionTransport): void {
    if (this.transport !== transport) return;
    this.transport = null;
    this.detachedAt = Date.now();
  }
}
