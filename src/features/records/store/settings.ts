// Per-server settings of the records feature; a server that never changed them gets the defaults.
import type { EntityManager } from '../../../db/database.js';
import { RecordSettingsSchema } from './entities.js';
import { defaultRecordTypes, type RecordTypeConfig } from '../../../../workflows/records/record-types.js';
import { recordTypesSchema } from '../record-types.js';

export interface GuildRecordSettings {
  recordTypes: RecordTypeConfig[];
  notificationChannelId: string | null;
  notificationWebhookUrl: string | null;
  /** Record types whose creation is announced; null means all. */
  notifyTypes: string[] | null;
  recordsUrl: string | null;
}

export async function recordSettings(em: EntityManager, guildId: string): Promise<GuildRecordSettings> {
  const row = await em.findOne(RecordSettingsSchema, { guildId });
  return {
    // Parsed again on the way out: every check downstream trusts the names, so a bad stored value fails here.
    recordTypes: row?.recordTypes == null ? [...defaultRecordTypes] : recordTypesSchema.parse(row.recordTypes),
    notificationChannelId: row?.notificationChannelId ?? null,
    notificationWebhookUrl: row?.notificationWebhookUrl ?? null,
    notifyTypes: row?.notifyTypes ?? null,
    recordsUrl: row?.recordsUrl ?? null,
  };
}

/** A change to the settings: a field left out keeps its value; `null` resets it (record types: to the defaults). */
export interface RecordSettingsPatch {
  recordTypes?: RecordTypeConfig[] | null;
  notificationChannelId?: string | null;
  notificationWebhookUrl?: string | null;
  notifyTypes?: string[] | null;
  recordsUrl?: string | null;
}

/** Call inside a transaction: the row is locked from the read to the write, so concurrent patches both apply. */
export async function updateRecordSettings(em: EntityManager, guildId: string, patch: RecordSettingsPatch): Promise<void> {
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  const updated = await em.nativeUpdate(RecordSettingsSchema, { guildId }, { ...given, updatedAt: new Date() });
  if (updated > 0) return;
  // No row yet: create it, unless a concurrent first patch just did (then apply this one on top of it).
  const row = {
    guildId,
    recordTypes: patch.recordTypes ?? null,
    notificationChannelId: patch.notificationChannelId ?? null,
    notificationWebhookUrl: patch.notificationWebhookUrl ?? null,
    notifyTypes: patch.notifyTypes ?? null,
    recordsUrl: patch.recordsUrl ?? null,
  };
  const inserted = await em.createQueryBuilder(RecordSettingsSchema).insert(row).onConflict('guildId').ignore().execute('run');
  if (inserted.affectedRows === 0) await em.nativeUpdate(RecordSettingsSchema, { guildId }, { ...given, updatedAt: new Date() });
}
