// Custom search attributes every flow sets when it starts, so operators can filter runs in the Temporal Web UI
// (e.g. `FlowKind = "ping"`, `GuildId = "123..."`, or everything pending for one member:
// `DiscordUserId = "456..." AND ExecutionStatus = "Running"`). The servers Steward starts register them.
import type { defineSearchAttributeKey } from '@temporalio/common';

type KeywordKey = ReturnType<typeof defineSearchAttributeKey<'KEYWORD'>>;
type KeywordListKey = ReturnType<typeof defineSearchAttributeKey<'KEYWORD_LIST'>>;

// Written as plain keys (what `defineSearchAttributeKey` returns), so workflow code needs no value import.
export const GuildId: KeywordKey = { name: 'GuildId', type: 'KEYWORD' };
export const FlowKind: KeywordKey = { name: 'FlowKind', type: 'KEYWORD' };
/** The members a flow is about or waits for: the reviewer, the target of a case, the organiser. */
export const DiscordUserId: KeywordListKey = { name: 'DiscordUserId', type: 'KEYWORD_LIST' };

export const stewardSearchAttributes = [GuildId, FlowKind, DiscordUserId];

/** The name the Temporal CLI (`--search-attribute`, `--type`) gives each type. */
export const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' } as const;

export interface FlowTags {
  /** Which feature's flow this is. */
  kind: string;
  guildId?: string;
  /** The members it is about or waits for. */
  memberIds?: readonly string[];
}

/** The search attributes a flow starts with, whoever starts it (an adapter, an activity, a parent workflow). */
export function flowSearchAttributes({ kind, guildId, memberIds }: FlowTags) {
  const members = [...new Set(memberIds ?? [])];
  return [
    { key: FlowKind, value: kind },
    ...(guildId ? [{ key: GuildId, value: guildId }] : []),
    ...(members.length > 0 ? [{ key: DiscordUserId, value: members }] : []),
  ];
}
