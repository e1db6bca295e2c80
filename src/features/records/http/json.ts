// The API's JSON: snake_case field names, timestamps as ISO strings, absent values as null.
import type { StoredMaintainer, StoredMaintainerLink } from '../store/maintainers.js';
import type { StoredRecord } from '../store/records.js';
import type { StoredSubject } from '../store/subjects.js';

export function recordJson(record: StoredRecord) {
  return {
    id: record.id,
    record_type: record.recordType,
    description: record.description,
    subject_id: record.subjectId ?? null,
    parent_id: record.parentId ?? null,
    author_discord_id: record.authorDiscordId ?? null,
    maintainer_id: record.maintainerId ?? null,
    occurred_at: record.occurredAt.toISOString(),
    origin: record.origin,
    created_by: record.createdBy,
    created_at: record.createdAt.toISOString(),
    sources: record.sources.map((source) => ({ message_id: source.messageId, channel_id: source.channelId })),
  };
}

export function subjectJson(subject: StoredSubject) {
  return { id: subject.id, name: subject.name, created_at: subject.createdAt.toISOString() };
}

export function maintainerJson(maintainer: StoredMaintainer) {
  return { id: maintainer.id, name: maintainer.name, aliases: maintainer.aliases, created_at: maintainer.createdAt.toISOString() };
}

export function maintainerLinkJson(link: StoredMaintainerLink) {
  return {
    discord_user_id: link.discordUserId,
    maintainer_id: link.maintainerId,
    via: link.via,
    created_at: link.createdAt.toISOString(),
  };
}
