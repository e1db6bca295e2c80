// Builders for the records tests: conversation messages at a given minute, ids that sort like snowflakes.
import type { ConversationMessage } from '../../../activities/records/context-window.js';

const start = Date.parse('2025-03-01T08:00:00.000Z');

/** Message number `n`, posted `n` minutes after the start; its id is `n + 1000` so ids sort like time. */
export function message(n: number, overrides: Partial<ConversationMessage> = {}): ConversationMessage {
  return {
    id: String(n + 1000),
    authorId: 'u-ana',
    authorName: 'Ana',
    content: `message ${n}`,
    createdAt: new Date(start + n * 60_000).toISOString(),
    attachments: [],
    alreadyRecorded: false,
    ...overrides,
  };
}

/** Messages `from` to `to` inclusive, chronological. */
export function messages(from: number, to: number): ConversationMessage[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => message(from + offset));
}

export function ids(list: readonly ConversationMessage[]): string[] {
  return list.map((entry) => entry.id);
}

export function idOf(n: number): string {
  return String(n + 1000);
}
