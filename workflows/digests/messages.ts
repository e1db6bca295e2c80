// Weekly digests' messages: what the digest workflow reads of a server's settings, its input and outcome, and the
// ids of the server's Schedule and of a preview.
import type { APIEmbed } from 'discord-api-types/v10';

export interface DigestRules {
  /** On, with a channel: the Schedule's runs post. */
  enabled: boolean;
  channelId: string | null;
  timeZone: string;
  /** Add a summary paragraph written by the LLM provider chain (or its offline rules), marked as such. */
  llmSummary: boolean;
  alertChannelId: string | null;
  /** How long to wait before trying again a digest Discord refused (no access to the channel, say). */
  retrySeconds: number;
}

/** Where a digest goes: the digest channel (and subscribers), a member's ephemeral preview, or back to the caller. */
export type DigestDelivery = { kind: 'post' } | { kind: 'preview'; reply: { applicationId: string; token: string } } | { kind: 'return' };

export interface DigestInput {
  guildId: string;
  /** The schedule's period: a week, or the short interval tests and development set. */
  intervalSeconds: number;
  delivery: DigestDelivery;
}

export interface DigestMessage {
  embeds: APIEmbed[];
}

export type DigestOutcome =
  | { outcome: 'posted'; periodEnd: string; messages: number; sections: string[]; subscribersSent: number }
  | { outcome: 'previewed' | 'rendered'; periodEnd: string; messages: DigestMessage[]; sections: string[] }
  | { outcome: 'off'; periodEnd: string }
  | { outcome: 'failed'; periodEnd: string; error: string };

export const DIGEST_WORKFLOW_ID_PREFIX = 'digest';

/** The server's Schedule: one per server (and deployment); its runs are `digest:<guild>-<nominal time>`. */
export function digestScheduleId(guildId: string): string {
  return `${DIGEST_WORKFLOW_ID_PREFIX}:${guildId}`;
}

export function digestPreviewWorkflowId(guildId: string, cause: string): string {
  return `digest-preview:${guildId}:${cause}`;
}
