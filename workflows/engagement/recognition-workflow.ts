// One recognition: add the badge's VIS points once (the row and the score change in one transaction, keyed by the
// interaction), give the member their level's role, post the card, tell the platform, and answer the member who
// recognised. The workflow id is the interaction's, so however often Discord or Steward retries, points are added
// once.
import { proxyActivities } from '@temporalio/workflow';
import type { EngagementActivities } from '../../activities/engagement/index.js';
import { failureMessage } from '../shared/failure.js';
import { renderRecognitionCard } from './cards.js';
import type { RecognitionInput, RecognitionOutcome } from './messages.js';
import { BADGE_POINTS, LEVEL_NAMES, levelOf } from './vis.js';
import { showDetails } from '../shared/details.js';

const io = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Discord's refusals (a role above Steward's) are final; its 429s and 5xx are retried a while. */
const discord = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  // Bounded by time, not attempts: a worker killed mid-attempt must not use up the tries of an action Discord took.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const platform = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

export async function recognizeVolunteer(input: RecognitionInput): Promise<RecognitionOutcome> {
  const rules = await io.loadEngagementRules({ guildId: input.guildId });
  const points = BADGE_POINTS[input.badge];
  const { scoreBefore, scoreAfter, counted } = await io.awardRecognition({ ...input, points });
  const outcome: RecognitionOutcome = { scoreBefore, scoreAfter, levelBefore: levelOf(scoreBefore), levelAfter: levelOf(scoreAfter), counted };
  const notes: string[] = [];
  showDetails(`Member ${input.volunteerId}: +${points} VIS recorded; level role, card and platform next`);

  try {
    await discord.syncLevelRole({ guildId: input.guildId, userId: input.volunteerId, level: outcome.levelAfter, levelRoleIds: rules.levelRoleIds, demote: rules.demoteLevels });
  } catch (error) {
    const reason = failureMessage(error);
    notes.push(`Their level role could not be given: ${reason}`);
    await io.alertEngagementAdmins({ guildId: input.guildId, key: `level-role:${input.recognitionId}`, content: `<@${input.volunteerId}> reached ${LEVEL_NAMES[outcome.levelAfter]} but Steward could not give the level role: ${reason}` });
  }
  const card = renderRecognitionCard({ ...input, ...outcome });
  await io.postEngagementCard({ channelId: rules.recognitionChannelId ?? input.channelId, card, nonceKey: `recognition:${input.recognitionId}`, mentionUserIds: [input.volunteerId] });

  try {
    await platform.sendToPlatform({
      eventId: `recognition.created:${input.guildId}:${input.recognitionId}`,
      type: 'recognition.created',
      guildId: input.guildId,
      data: { discordUserId: input.volunteerId, recognisedBy: input.giverId, badge: input.badge, points, achievement: input.achievement, vis: scoreAfter, level: outcome.levelAfter },
    });
  } catch (error) {
    await io.alertEngagementAdmins({ guildId: input.guildId, key: `undelivered:recognition:${input.recognitionId}`, content: `The recognition of <@${input.volunteerId}> could not be delivered to the volunteer platform: ${failureMessage(error)}.` });
  }

  const where = rules.recognitionChannelId ? ` in <#${rules.recognitionChannelId}>` : '';
  const summary = `<@${input.volunteerId}> was recognised (+${points} VIS, now ${scoreAfter}, ${LEVEL_NAMES[outcome.levelAfter]})${where}.`;
  showDetails(`Member ${input.volunteerId}: +${points} VIS, now ${scoreAfter} (${LEVEL_NAMES[outcome.levelAfter]}); telling the giver`);
  await io.replyToInteraction({ reply: input.reply, content: [summary, ...notes].join('\n') });
  return outcome;
}

