// A server's weekly digest. Started by the server's Schedule (its id carries the nominal time, so a retry is this
// same run), by a preview, or by the HTTP API. It gathers each feature's section (one activity each, so one that
// fails leaves only itself out), adds the summary paragraph when asked, renders, and posts: each part once (a
// part already posted for this week is not posted again), then to subscribers by DM. Discord refusing the post is
// reported to the admins and tried again later. Downtime over several slots gives one catch-up digest: the
// Schedule starts the first missed run and skips the others while it runs (overlap policy SKIP).
import type { defineSearchAttributeKey } from '@temporalio/common';
import { ApplicationFailure, log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { DigestActivities } from '../../activities/digests/index.js';
import type { DigestSection } from '../shared/digest.js';
import { failureMessage } from '../shared/failure.js';
import type { DigestInput, DigestOutcome } from './messages.js';
import { renderDigest } from './render.js';
import { clock, showDetails } from '../shared/details.js';

const io = proxyActivities<DigestActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 8 } });
const sections = proxyActivities<DigestActivities>({ startToCloseTimeout: '2 minutes', retry: { initialInterval: '2 seconds', maximumAttempts: 4 } });
const writer = proxyActivities<DigestActivities>({ startToCloseTimeout: '3 minutes', retry: { initialInterval: '2 seconds', maximumAttempts: 3 } });

/** Set by the Schedule on each run it starts (a plain key: workflow code needs no value import). */
const ScheduledStartTime: ReturnType<typeof defineSearchAttributeKey<'DATETIME'>> = { name: 'TemporalScheduledStartTime', type: 'DATETIME' };
/** Refused posts are tried again this many times (a day, at the default hour apart) before the digest gives up. */
const POST_ROUNDS = 24;

export async function postWeeklyDigest(input: DigestInput): Promise<DigestOutcome> {
  const { guildId, intervalSeconds, delivery } = input;
  const periodEnd = nominalTime();
  const periodEndIso = periodEnd.toISOString();
  const rules = await io.loadDigestRules({ guildId });
  if (!rules.enabled && delivery.kind === 'post') return { outcome: 'off', periodEnd: periodEndIso };
  const { timeZone } = rules;
  const period = { guildId, from: new Date(periodEnd.getTime() - intervalSeconds * 1000).toISOString(), to: periodEndIso, timeZone };

  const gathered: { name: string; section: DigestSection }[] = [];
  const missing: string[] = [];
  for (const name of await io.digestSectionNames()) {
    showDetails(`The week to ${clock(periodEnd.getTime())}: gathering the ${name} section`);
    try {
      const section = await sections.gatherDigestSection({ name, period });
      if (section) gathered.push({ name, section });
    } catch (error) {
      log.warn('A digest section could not be gathered', { name, error: failureMessage(error) });
      missing.push(name);
    }
  }
  const summary = rules.llmSummary && gathered.length ? await writer.summariseDigest({ guildId, sections: gathered.map(({ section }) => section) }).catch(() => null) : null;
  const messages = renderDigest({ ...period, sections: gathered.map(({ section }) => section), summary, missing });
  const sectionNames = gathered.map(({ name }) => name);

  if (delivery.kind === 'return') return { outcome: 'rendered', periodEnd: periodEndIso, messages, sections: sectionNames };
  if (delivery.kind === 'preview') {
    await io.replyWithDigest({ reply: delivery.reply, messages });
    return { outcome: 'previewed', periodEnd: periodEndIso, messages, sections: sectionNames };
  }

  const channelId = rules.channelId!;
  for (let round = 1; ; round++) {
    showDetails(`Posting ${messages.length} message${messages.length === 1 ? '' : 's'} in channel ${channelId}${round > 1 ? ` (round ${round} of ${POST_ROUNDS})` : ''}`);
    try {
      for (const [part, message] of messages.entries()) await io.postDigestPart({ guildId, channelId: channelId, periodEnd: periodEndIso, part, message });
      break;
    } catch (error) {
      const reason = failureMessage(error);
      await io.alertDigestAdmins({
        alertChannelId: rules.alertChannelId,
        content: `The weekly digest could not be posted in <#${channelId}>: ${reason}${round < POST_ROUNDS ? ` Steward tries again <t:${Math.floor(Date.now() / 1000 + rules.retrySeconds)}:R>.` : ' Steward has given up on this week.'}`,
        nonceKey: `digest-failed:${guildId}:${periodEndIso}:${round}`,
      });
      if (round >= POST_ROUNDS) return { outcome: 'failed', periodEnd: periodEndIso, error: reason };
      await sleep(rules.retrySeconds * 1000);
    }
  }
  showDetails('Posted; sending it to subscribers by DM');
  const subscribersSent = await io.sendDigestToSubscribers({ guildId, periodEnd: periodEndIso, messages });
  showDetails(`Posted, and sent to ${subscribersSent} subscriber${subscribersSent === 1 ? '' : 's'}`);
  return { outcome: 'posted', periodEnd: periodEndIso, messages: messages.length, sections: sectionNames, subscribersSent };
}

/** The slot this run is for: the Schedule's nominal time, or now for a run started by hand. */
function nominalTime(): Date {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTime);
  if (scheduled) return scheduled;
  // A run a Schedule started has `<schedule's workflow id>-<nominal time>` as its id.
  const fromId = /-(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)$/.exec(info.workflowId)?.[1];
  if (fromId) return new Date(fromId);
  if (info.workflowId.startsWith('digest:')) throw ApplicationFailure.nonRetryable(`A digest run without its nominal time: ${info.workflowId}`);
  return new Date(Date.now());
}
