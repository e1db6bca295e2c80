// Custom search attributes every flow sets, so operators can filter runs in the Temporal Web UI
// (e.g. `FlowKind = "ping"` or `GuildId = "123..."`). The embedded dev server registers them at start.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const GuildId = defineSearchAttributeKey('GuildId', SearchAttributeType.KEYWORD);
export const FlowKind = defineSearchAttributeKey('FlowKind', SearchAttributeType.KEYWORD);

export const stewardSearchAttributes = [GuildId, FlowKind];
