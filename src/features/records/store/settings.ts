// Per-server settings of the records feature; a server that never changed them gets the defaults.
import type { EntityManager } from '../../../db/database.js';
import { defaultRecordTypes, recordTypesSchema, type RecordTypeConfig } from '../../../../workflows/records/record-types.js';

export interface GuildRecordSettings {
  recordTypes: RecordTypeConfig[];
  notificationChannelId: string | null;
  notificationWebhookUrl: string | null;
  /** Record types whose creation is announced; null means all. */
  notifyTypes: string[] | null;
  recordsUrl: string | null;
}

interface SettingsRow {
  record_types: unknown;
  notification_channel_id: string | null;
  notification_webhook_url: string | null;
  notify_types: string[] | null;
  records_url: string | null;
}

export async function recordSettings(em: EntityManager, guildId: string): Promise<GuildRecordSettings> {
  const [row] = await em.execute<SettingsRow[]>(
    `select record_types, notification_channel_id, notification_webhook_url, notify_types, records_url
     from record_settings where guild_id = ?`,
    [guildId],
  );
  return {
    // Parsed again on the way out: every check downstream trusts the names, so a bad stored value fails here.
    recordTypes: row?.record_types == null ? [...defaultRecordTypes] : recordTypesSchema.parse(row.record_types),
    notificationChannelId: row?.notification_channel_id ?? null,
    notificationWebhookUrl: row?.notification_webhook_url ?? null,
    notifyTypes: row?.notify_types ?? null,
    recordsUrl: row?.records_url ?? null,
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

const patchColumns = [
  ['recordTypes', 'record_types', 'jsonb'],
  ['notificationChannelId', 'notification_channel_id', 'text'],
  ['notificationWebhookUrl', 'notification_webhook_url', 'text'],
  ['notifyTypes', 'notify_types', 'jsonb'],
  ['recordsUrl', 'records_url', 'text'],
] as const;

export async function updateRecordSettings(em: EntityManager, guildId: string, patch: RecordSettingsPatch): Promise<void> {
  const values = patchColumns.map(([field, , type]) => {
    const value = patch[field];
    return value === undefined || value === null || type === 'text' ? (value ?? null) : JSON.stringify(value);
  });
  const given = patchColumns.map(([field]) => patch[field] !== undefined);
  await em.execute(
    `insert into record_settings (guild_id, ${patchColumns.map(([, column]) => column).join(', ')})
     values (?, ${patchColumns.map(([, , type]) => (type === 'jsonb' ? '?::jsonb' : '?')).join(', ')})
     on conflict (guild_id) do update set
       ${patchColumns.map(([, column]) => `${column} = case when ? then excluded.${column} else record_settings.${column} end`).join(',\n       ')},
       updated_at = now()`,
    [guildId, ...values, ...given],
  );
}
