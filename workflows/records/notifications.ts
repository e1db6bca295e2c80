// Announcements of new records: which records a server hears about, when a burst of them is posted, and the
// Discord message that announces them. Pure, so the notification workflow runs it and tests pin it down.
//
// The echo rule: a record made from a Discord review is not announced in the channel its source messages came
// from. The people there just had that conversation (and the reviewer saw the record on the review card), so an
// announcement would echo it back at them; everywhere else (the usual case: a #records feed) nobody has seen it
// yet, and the feed would be useless if reviewed records were left out. Records from the API have no Discord
// source, so they are always announced. A webhook's channel is not known before posting, so a webhook
// destination counts as elsewhere: it is normally a feed of its own, often in another server.
import { DISCORD_LIMITS, discordTime, escapeMarkdown, fitEmbed, truncate, type Embed } from '../shared/discord-kit.js';

/** Post a burst once nothing new came for this long… */
export const QUIET_MS = 5 * 60_000;
/** …but never later than this after the burst's first record, however busy its author keeps. */
export const MAX_WAIT_MS = 15 * 60_000;
/**
 * A record signalled again within this window is recognised by its id and not announced twice (the workflow
 * stays open this long after its last record); one older than this when signalled is a repeat, not news.
 */
export const REPEAT_WINDOW_MS = 60 * 60_000;
/** A burst is posted early at this size, so one post never has to carry (or summarise) an unbounded list. */
export const MAX_BATCH_RECORDS = 100;

/** How much of a record's description a digest line shows. */
const DIGEST_LINE_DESCRIPTION = 120;
const COLOR = 0x57f287;

export interface NotificationTiming {
  quietMs: number;
  maxWaitMs: number;
  repeatWindowMs: number;
}

export const DEFAULT_TIMING: NotificationTiming = {
  quietMs: QUIET_MS,
  maxWaitMs: MAX_WAIT_MS,
  repeatWindowMs: REPEAT_WINDOW_MS,
};

export function resolveTiming(timing: Partial<NotificationTiming> = {}): NotificationTiming {
  return { ...DEFAULT_TIMING, ...timing };
}

/** What the notification workflow keeps of a record: enough to filter and announce it without reading it again. */
export interface RecordSummary {
  id: string;
  guildId: string;
  recordType: string;
  description: string;
  subjectId: string | null;
  /** The member the record is attributed to (the source messages' author), if known. */
  authorDiscordId: string | null;
  origin: 'discord' | 'api';
  /** The reviewing member's Discord id, or the API token's name. */
  createdBy: string;
  occurredAt: string;
  createdAt: string;
  /** Channels of the source messages (empty for API records). */
  sourceChannelIds: string[];
}

/**
 * Whose burst a record belongs to: the person who made it, i.e. the reviewing member's Discord id, or `api:<token
 * name>` for the API. A review creating several records in a row is one burst, whoever wrote the messages.
 */
export function burstAuthorKey(record: Pick<RecordSummary, 'origin' | 'createdBy'>): string {
  return record.origin === 'api' ? `api:${record.createdBy}` : record.createdBy;
}

/** Times (epoch ms) of a burst's first and latest record. */
export interface Burst {
  firstAt: number;
  lastAt: number;
}

export function extendBurst(burst: Burst | undefined, at: number): Burst {
  return burst ? { firstAt: burst.firstAt, lastAt: Math.max(burst.lastAt, at) } : { firstAt: at, lastAt: at };
}

/** When a burst is posted: after `quietMs` without a new record, and at most `maxWaitMs` after its first. */
export function nextFlushAt(burst: Burst, timing: Pick<NotificationTiming, 'quietMs' | 'maxWaitMs'> = DEFAULT_TIMING): number {
  return Math.min(burst.lastAt + timing.quietMs, burst.firstAt + timing.maxWaitMs);
}

export type Destination = { kind: 'channel'; channelId: string } | { kind: 'webhook'; url: string };

/**
 * The configured channel (a bot message, which Discord deduplicates by nonce) wins over the webhook URL (which
 * Discord cannot deduplicate); the webhook is used when no channel is set. Nothing configured: no announcement.
 */
export function chooseDestination(settings: {
  notificationChannelId: string | null;
  notificationWebhookUrl: string | null;
}): Destination | undefined {
  if (settings.notificationChannelId) return { kind: 'channel', channelId: settings.notificationChannelId };
  if (settings.notificationWebhookUrl) return { kind: 'webhook', url: settings.notificationWebhookUrl };
  return undefined;
}

/** The echo rule (see the top of this file). */
export function isEcho(record: Pick<RecordSummary, 'origin' | 'sourceChannelIds'>, destination: Destination): boolean {
  return record.origin === 'discord' && destination.kind === 'channel' && record.sourceChannelIds.includes(destination.channelId);
}

export type SkipReason = 'type_off' | 'echo';

/** Splits a batch into the records to announce and those the server's settings or the echo rule leave out. */
export function selectAnnounced(
  records: readonly RecordSummary[],
  rules: { notifyTypes: readonly string[] | null; destination: Destination },
): { announced: RecordSummary[]; skipped: { id: string; reason: SkipReason }[] } {
  const announced: RecordSummary[] = [];
  const skipped: { id: string; reason: SkipReason }[] = [];
  for (const record of records) {
    if (rules.notifyTypes !== null && !rules.notifyTypes.includes(record.recordType)) {
      skipped.push({ id: record.id, reason: 'type_off' });
    } else if (isEcho(record, rules.destination)) {
      skipped.push({ id: record.id, reason: 'echo' });
    } else {
      announced.push(record);
    }
  }
  return { announced, skipped };
}

/** What the post of one batch came to; the workflow keeps the latest for its status query. */
export type PostOutcome =
  | { status: 'posted'; destination: Destination['kind']; messageId: string | null; announced: number; skipped: number }
  | { status: 'skipped'; reason: 'no_destination' | 'nothing_to_announce'; skipped: number }
  | { status: 'failed'; reason: string; records: number };

export interface NotificationContext {
  /** Record type name to its label; an unknown type shows its name. */
  typeLabels: Readonly<Record<string, string>>;
  subjectNames: Readonly<Record<string, string>>;
  /** Base URL of the records site: a record links to `<recordsUrl>/<id>`. */
  recordsUrl?: string | null;
}

/** A Discord message body (channel message create or webhook execute). */
export interface NotificationMessage {
  content: string;
  embeds: Embed[];
  /** Descriptions are members' text: an `@everyone` or a mention in one must not ping anybody. */
  allowed_mentions: { parse: [] };
}

/** One full embed for a lone record; one digest embed listing several. Empty input has nothing to render. */
export function renderNotification(records: readonly RecordSummary[], context: NotificationContext): NotificationMessage {
  if (records.length === 0) throw new Error('There is no record to announce.');
  const embed = records.length === 1 ? recordEmbed(records[0]!, context) : digestEmbed(records, context);
  return { content: '', embeds: [fitEmbed(embed)], allowed_mentions: { parse: [] } };
}

function recordEmbed(record: RecordSummary, context: NotificationContext): Embed {
  const url = recordUrl(record, context);
  return {
    title: truncate(recordTitle(record, context), DISCORD_LIMITS.title),
    description: truncate(record.description, DISCORD_LIMITS.description),
    ...(url ? { url } : {}),
    color: COLOR,
    fields: [
      { name: 'Author', value: record.authorDiscordId ? `<@${record.authorDiscordId}>` : '—', inline: true },
      { name: 'Occurred', value: discordTime(record.occurredAt, 'f'), inline: true },
      { name: 'Added by', value: truncate(creatorOf(record), DISCORD_LIMITS.fieldValue), inline: true },
    ],
    footer: { text: `New record · ${record.id}` },
  };
}

function digestEmbed(records: readonly RecordSummary[], context: NotificationContext): Embed {
  const creators = [...new Set(records.map(creatorOf))];
  const header = creators.length === 1 ? `Added by ${creators[0]}` : '';
  const lines = records.map((record) => digestLine(record, context));
  return {
    title: `${records.length} new records`,
    description: joinWithinLimit(header, lines, DISCORD_LIMITS.description),
    color: COLOR,
    footer: { text: 'New records' },
  };
}

function digestLine(record: RecordSummary, context: NotificationContext): string {
  const title = escapeMarkdown(recordTitle(record, context));
  const url = recordUrl(record, context);
  const name = url ? `[**${title}**](${url})` : `**${title}**`;
  const description = truncate(record.description.replace(/\s+/g, ' ').trim(), DIGEST_LINE_DESCRIPTION);
  return truncate(`• ${name} · ${discordTime(record.occurredAt, 'd')} — ${description}`, 1000);
}

/** As many whole lines as fit, then a count of the rest: a line is never cut in the middle of a link. */
function joinWithinLimit(header: string, lines: readonly string[], limit: number): string {
  const out = header ? [header] : [];
  let length = header.length;
  for (const [index, line] of lines.entries()) {
    const rest = lines.length - index - 1;
    const tail = rest > 0 ? `\n…and ${rest} more` : '';
    const added = (out.length > 0 ? 1 : 0) + line.length;
    if (length + added + tail.length > limit) {
      out.push(`…and ${lines.length - index} more`);
      return out.join('\n');
    }
    out.push(line);
    length += added;
  }
  return out.join('\n');
}

function recordTitle(record: RecordSummary, context: NotificationContext): string {
  const label = context.typeLabels[record.recordType] ?? record.recordType;
  const subject = record.subjectId ? context.subjectNames[record.subjectId] : undefined;
  return subject ? `${label} — ${subject}` : label;
}

function recordUrl(record: RecordSummary, context: NotificationContext): string | undefined {
  const base = context.recordsUrl?.trim();
  // An embed with an invalid URL is refused by Discord outright, which would lose the whole announcement.
  if (!base || !/^https?:\/\/[^\s]+$/i.test(base)) return undefined;
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(record.id)}`;
}

function creatorOf(record: RecordSummary): string {
  return record.origin === 'api' ? `the API (${record.createdBy})` : `<@${record.createdBy}>`;
}
