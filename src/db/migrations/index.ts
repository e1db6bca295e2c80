// Migrations are listed explicitly (no folder scanning), so the compiled worker and the tests run the same set.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122020803_initial } from './Migration20261122020803_initial.js';
import { Migration20261122025131_records } from './Migration20261122025131_records.js';
import { Migration20261202030549_approvals } from './Migration20261202030549_approvals.js';
import { Migration20261202041459_moderation } from './Migration20261202041459_moderation.js';
import { Migration20261202044318_telegram_approvals } from './Migration20261202044318_telegram_approvals.js';
import { Migration20261202050724_events } from './Migration20261202050724_events.js';
import { Migration20261202070537_direct_channels } from './Migration20261202070537_direct_channels.js';
import { Migration20261202072347_raid } from './Migration20261202072347_raid.js';
import { Migration20261202120107_engagement } from './Migration20261202120107_engagement.js';
import { Migration20261202155613_celebration_batches } from './Migration20261202155613_celebration_batches.js';
import { Migration20261202160844_leveling } from './Migration20261202160844_leveling.js';
import { Migration20261202161659_statistics } from './Migration20261202161659_statistics.js';
import { Migration20261202162937_digests } from './Migration20261202162937_digests.js';
import { Migration20261203073441_sent_direct_messages } from './Migration20261203073441_sent_direct_messages.js';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261122020803_initial', class: Migration20261122020803_initial },
  { name: 'Migration20261122025131_records', class: Migration20261122025131_records },
  { name: 'Migration20261202030549_approvals', class: Migration20261202030549_approvals },
  { name: 'Migration20261202041459_moderation', class: Migration20261202041459_moderation },
  { name: 'Migration20261202044318_telegram_approvals', class: Migration20261202044318_telegram_approvals },
  { name: 'Migration20261202050724_events', class: Migration20261202050724_events },
  { name: 'Migration20261202070537_direct_channels', class: Migration20261202070537_direct_channels },
  { name: 'Migration20261202072347_raid', class: Migration20261202072347_raid },
  { name: 'Migration20261202120107_engagement', class: Migration20261202120107_engagement },
  { name: 'Migration20261202155613_celebration_batches', class: Migration20261202155613_celebration_batches },
  { name: 'Migration20261202160844_leveling', class: Migration20261202160844_leveling },
  { name: 'Migration20261202161659_statistics', class: Migration20261202161659_statistics },
  { name: 'Migration20261202162937_digests', class: Migration20261202162937_digests },
  { name: 'Migration20261203073441_sent_direct_messages', class: Migration20261203073441_sent_direct_messages },
];
