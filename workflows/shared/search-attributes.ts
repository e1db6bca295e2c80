// Custom search attributes every flow sets when it starts, so operators can filter runs in the Temporal Web UI
// (e.g. `FlowKind = "ping"` or `GuildId = "123..."`). The embedded dev server registers them at start.
import type { defineSearchAttributeKey } from '@temporalio/common';

type KeywordKey = ReturnType<typeof defineSearchAttributeKey<'KEYWORD'>>;

// Written as plain keys (what `defineSearchAttributeKey` returns), so workflow code needs no value import.
export const GuildId: KeywordKey = { name: 'GuildId', type: 'KEYWORD' };
export const FlowKind: KeywordKey = { name: 'FlowKind', type: 'KEYWORD' };

export const stewardSearchAttributes = [GuildId, FlowKind];
