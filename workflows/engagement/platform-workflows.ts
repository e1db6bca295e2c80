// What the volunteer platform asks of Discord through its signed webhooks: a milestone celebration (one workflow per
// threshold, so a threshold is celebrated once), a buddy introduction (both members DMed; a closed DM goes to the
// admins' alert channel, not lost) and an SLA breach reported to the admins.
import { proxyActivities } from '@temporalio/workflow';
import type { EngagementActivities } from '../../activities/engagement/index.js';
import { renderBuddyIntroduction, renderMilestoneCard } from './cards.js';
import type { BuddyMatchInput, CelebrationInput, PlatformAlertInput } from './messages.js';

const io = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function celebrateMilestone(milestone: CelebrationInput): Promise<'celebrated' | 'no_channel'> {
  const rules = await io.loadEngagementRules({ guildId: milestone.guildId });
  const channelId = rules.milestoneChannelId ?? rules.recognitionChannelId;
  if (!channelId) {
    await io.alertEngagementAdmins({ guildId: milestone.guildId, key: `milestone-no-channel:${milestone.programId}:${milestone.metric}:${milestone.threshold}`, content: `${milestone.programName} reached a milestone, but no milestone channel is set (/config engagement set milestone-channel).` });
    return 'no_channel';
  }
  await io.postEngagementCard({ channelId, card: renderMilestoneCard(milestone), nonceKey: `milestone:${milestone.guildId}:${milestone.programId}:${milestone.metric}:${milestone.threshold}` });
  return 'celebrated';
}

export async function introduceBuddies(match: BuddyMatchInput): Promise<{ sent: string[]; refused: string[] }> {
  const sent: string[] = [];
  const refused: string[] = [];
  for (const [memberId, buddyId] of [match.memberIds, [match.memberIds[1], match.memberIds[0]]] as const) {
    const card = renderBuddyIntroduction({ memberId, buddyId, programName: match.programName, note: match.note });
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
