// What the volunteer platform asks of Discord through its signed webhooks: milestone celebrations (one workflow per
// batch the outbox claimed; a threshold's row is claimed by one batch, so it is celebrated once), a buddy
// introduction (both members DMed; a closed DM goes to the admins' alert channel, not lost) and an SLA breach
// reported to the admins.
import { proxyActivities } from '@temporalio/workflow';
import type { EngagementActivities } from '../../activities/engagement/index.js';
import { renderBuddyIntroduction, renderMilestoneCard } from './cards.js';
import type { BuddyMatchInput, CelebrationBatchInput, PlatformAlertInput } from './messages.js';
import { showDetails } from '../shared/details.js';

const io = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Posts each celebration of a batch as its own card; a card's nonce is its threshold's, so a retry posts it once. */
export async function celebrateMilestones(batch: CelebrationBatchInput): Promise<'celebrated' | 'no_channel'> {
  const { guildId } = batch;
  const rules = await io.loadEngagementRules({ guildId });
  const channelId = rules.milestoneChannelId ?? rules.recognitionChannelId;
  if (!channelId) {
    const names = [...new Set(batch.celebrations.map((celebration) => celebration.programName))].join(', ');
    await io.alertEngagementAdmins({ guildId, key: `milestone-no-channel:${batch.batchId}`, content: `${names} reached ${batch.celebrations.length === 1 ? 'a milestone' : `${batch.celebrations.length} milestones`}, but no milestone channel is set (/config engagement set milestone-channel).` });
    return 'no_channel';
  }
  for (const celebration of batch.celebrations) {
    const { programId, metric, threshold } = celebration;
    showDetails(`Posting milestone ${batch.celebrations.indexOf(celebration) + 1} of ${batch.celebrations.length}`);
    await io.postEngagementCard({ channelId, card: renderMilestoneCard(celebration), nonceKey: `milestone:${guildId}:${programId}:${metric}:${threshold}` });
  }
  return 'celebrated';
}

export async function introduceBuddies(match: BuddyMatchInput): Promise<{ sent: string[]; refused: string[] }> {
  const sent: string[] = [];
  const refused: string[] = [];
  for (const [memberId, buddyId] of [match.memberIds, [match.memberIds[1], match.memberIds[0]]] as const) {
    const card = renderBuddyIntroduction({ memberId, buddyId, programName: match.programName, note: match.note });
    showDetails(`Introducing member ${memberId} (${match.memberIds.indexOf(memberId) + 1} of ${match.memberIds.length})`);
    const outcome = await io.tellMember({ guildId: match.guildId, userId: memberId, card, nonceKey: `buddy:${match.guildId}:${match.matchId}:${memberId}` });
    (outcome === 'sent' ? sent : refused).push(memberId);
  }
  for (const memberId of refused) {
    const buddyId = match.memberIds.find((id) => id !== memberId)!;
    await io.alertEngagementAdmins({
      guildId: match.guildId,
      key: `buddy-refused:${match.matchId}:${memberId}`,
      content: `Buddy match ${match.matchId}: <@${memberId}> does not accept DMs, so they were not told about their buddy <@${buddyId}>. Please introduce them by hand.`,
    });
  }
  return { sent, refused };
}

export async function reportPlatformAlert(alert: PlatformAlertInput): Promise<void> {
  await io.alertEngagementAdmins({ guildId: alert.guildId, key: `platform-alert:${alert.alertId}`, content: `⚠️ **${alert.title}**\n${alert.detail}${alert.url ? `\n${alert.url}` : ''}` });
}
