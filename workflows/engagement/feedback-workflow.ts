// One piece of feedback, from receipt to the platform: store it, have Q2Q analyse it (the LLM provider chain
// stands in when Q2Q is down past its retries; with neither, it is kept and analysed later, never lost), let the
// server's reviewers approve it where the server asks for review, then share it with the platform and tell the
// member. The workflow id comes from the interaction, so a retried /feedback is this same feedback.
import { ApplicationFailure, allHandlersFinished, condition, log, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import { PermissionFlagsBits } from 'discord-api-types/payloads/v10';
import type { EngagementActivities } from '../../activities/engagement/index.js';
import { failureMessage } from '../shared/failure.js';
import { renderReviewCard, reviewOutcomeForMember } from './cards.js';
import {
  REVIEW_REFUSED,
  feedbackStatus,
  reviewFeedback,
  type EngagementRules,
  type FeedbackAnalysis,
  type FeedbackInput,
  type FeedbackStatus,
  type ReviewDecision,
  type ReviewVerdict,
} from './messages.js';
import { clock, showDetails } from '../shared/details.js';

const io = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Q2Q: a few quick tries; past them the LLM chain is asked instead. A malformed answer counts as a failed try. */
const q2q = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '8 seconds', maximumAttempts: 4 },
});
const models = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});
/** The platform may be down for a while: about an hour of retries before the delivery is reported as failed. */
const platform = proxyActivities<EngagementActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

const MAX_ANALYSIS_RETRY_SECONDS = 6 * 3600;

export async function collectFeedback(feedback: FeedbackInput): Promise<FeedbackStatus> {
  const rules = await io.loadEngagementRules({ guildId: feedback.guildId });
  const status: FeedbackStatus = {
    trackingId: feedback.trackingId,
    analysis: feedback.kind === 'reaction' ? 'skipped' : 'pending',
    review: rules.review ? 'pending' : 'not_required',
    shared: false,
  };
  setHandler(feedbackStatus, () => ({ ...status }));
  setHandler(
    reviewFeedback,
    ({ reviewer, verdict }) => {
      status.review = verdict === 'approve' ? 'approved' : 'rejected';
      status.reviewerId = reviewer.userId;
      return { ...status };
    },
    { validator: (decision) => refuseReview(decision, feedback, rules.review, status) },
  );

  await io.saveFeedback({ feedback, shareStatus: rules.review ? 'pending_review' : 'approved' });
  showFeedback(status);
  const analysed = status.analysis === 'skipped' ? Promise.resolve(undefined) : analyse(feedback, rules.analysisRetrySeconds, status);
  if (rules.review) await review(feedback, rules.review, rules.reviewAlertSeconds, status);
  let sharedWithoutAnalysis = false;
  if (status.review === 'approved' || status.review === 'not_required') {
    // The platform gets the first round's analysis when there is one; an analysis that comes later follows as its
    // own event.
    await condition(() => status.analysis !== 'pending');
    sharedWithoutAnalysis = status.analysis === 'deferred';
    status.shared = await share(feedback, 'feedback.shared', status.analysis === 'analysed' ? ((await analysed) ?? null) : null);
    showFeedback(status);
  }
  const told = reviewOutcomeForMember(feedback.trackingId, status.review as ReviewVerdict);
  if (told) await io.tellMember({ guildId: feedback.guildId, userId: feedback.userId, content: told, nonceKey: `feedback-outcome:${feedback.feedbackId}` });

  const analysis = await analysed;
  if (analysis && status.shared && sharedWithoutAnalysis) await share(feedback, 'feedback.analysed', analysis);
  showFeedback(status);
  await condition(allHandlersFinished);
  return { ...status };
}

/**
 * Posts the review card and waits for a reviewer's verdict (set by the Update handler), reporting a wait longer
 * than the alert age to the admins; past the review's hours the feedback expires unshared. The card shows the end.
 */
async function review(feedback: FeedbackInput, rules: NonNullable<EngagementRules['review']>, alertAfterSeconds: number, status: FeedbackStatus): Promise<void> {
  const askedAt = Date.now();
  const deadline = askedAt + rules.timeoutHours * 3_600_000;
  const cardMessageId = await io.postEngagementCard({ channelId: rules.channelId, card: renderReviewCard(feedback, 'pending'), nonceKey: `feedback-review:${feedback.feedbackId}` });
  const decided = () => status.review !== 'pending';
  showFeedback(status, `waiting for a reviewer since ${clock(askedAt)}`);
  if (!(await condition(decided, Math.min(alertAfterSeconds * 1000, deadline - Date.now())))) {
    await io.alertEngagementAdmins({
      guildId: feedback.guildId,
      key: `review-waiting:${feedback.feedbackId}`,
      content: `Feedback ${feedback.trackingId} has waited for a reviewer since <t:${Math.floor(askedAt / 1000)}:R>: ${messageLink(feedback.guildId, rules.channelId, cardMessageId)}`,
    });
  }
  if (!(await condition(decided, Math.max(deadline - Date.now(), 1)))) status.review = 'expired';
  const verdict = status.review as ReviewVerdict;
  await io.updateFeedback({ feedbackId: feedback.feedbackId, shareStatus: verdict, ...(status.reviewerId ? { reviewerId: status.reviewerId } : {}) });
  await io.editEngagementCard({ channelId: rules.channelId, messageId: cardMessageId, card: renderReviewCard(feedback, verdict, status.reviewerId) });
}

/** Q2Q, then the LLM chain; with neither, the feedback waits (doubling from the configured pause) and tries again. */
async function analyse(feedback: FeedbackInput, retrySeconds: number, status: FeedbackStatus): Promise<FeedbackAnalysis> {
  const request = { guildId: feedback.guildId, feedbackId: feedback.feedbackId, userId: feedback.userId, text: feedback.text, channelId: feedback.channelId };
  let pause = retrySeconds;
  for (;;) {
    const analysis = await q2q
      .classifyWithQ2Q(request)
      .catch((error: unknown) => {
        log.warn('Q2Q could not analyse the feedback; asking the LLM providers', { feedbackId: feedback.feedbackId, error: failureMessage(error) });
        return models.classifyWithLlm(request);
      })
      .catch((error: unknown) => {
        log.warn('No analyst could read the feedback; it is kept and tried again later', { feedbackId: feedback.feedbackId, error: failureMessage(error), pauseSeconds: pause });
        return undefined;
      });
    if (analysis) {
      await io.updateFeedback({ feedbackId: feedback.feedbackId, analysisStatus: 'analysed', analysis });
      status.analysis = 'analysed';
      status.analysedBy = analysis.analysedBy;
      showFeedback(status);
      return analysis;
    }
    if (status.analysis !== 'deferred') {
      await io.updateFeedback({ feedbackId: feedback.feedbackId, analysisStatus: 'deferred' });
      status.analysis = 'deferred';
    }
    showFeedback(status, `no analyst could read it; tried again at ${clock(Date.now() + pause * 1000, Date.now())}`);
    await sleep(pause * 1000);
    pause = Math.min(pause * 2, MAX_ANALYSIS_RETRY_SECONDS);
  }
}

async function share(feedback: FeedbackInput, type: 'feedback.shared' | 'feedback.analysed', analysis: FeedbackAnalysis | null): Promise<boolean> {
  try {
    await platform.sendToPlatform({
      eventId: `${type}:${feedback.feedbackId}`,
      type,
      guildId: feedback.guildId,
      data: { trackingId: feedback.trackingId, discordUserId: feedback.userId, kind: feedback.kind, text: feedback.text, sentiment: feedback.sentiment, analysis },
    });
    if (type === 'feedback.shared') await io.updateFeedback({ feedbackId: feedback.feedbackId, shareStatus: 'shared' });
    return true;
  } catch (error) {
    await io.updateFeedback({ feedbackId: feedback.feedbackId, shareStatus: 'undelivered' });
    await io.alertEngagementAdmins({
      guildId: feedback.guildId,
      key: `undelivered:${type}:${feedback.feedbackId}`,
      content: `Feedback ${feedback.trackingId} could not be delivered to the volunteer platform: ${failureMessage(error)}. It is kept in Steward.`,
    });
    return false;
  }
}

function refuseReview({ reviewer }: ReviewDecision, feedback: FeedbackInput, review: EngagementRules['review'], status: FeedbackStatus): void {
  const refuse = (message: string) => {
    throw ApplicationFailure.create({ type: REVIEW_REFUSED, message });
  };
  if (status.review !== 'pending') refuse('This feedback was already reviewed.');
  if (reviewer.userId === feedback.userId) refuse('You cannot review your own feedback.');
  const permissions = BigInt(reviewer.permissions || '0');
  const manages = (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!manages && !reviewer.roleIds.some((roleId) => review?.reviewerRoleIds.includes(roleId))) refuse("Only the server's feedback reviewers can decide on feedback.");
}


function messageLink(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

/** "Feedback F-12: analysed by q2q; approved by member 1; shared with the platform". */
function showFeedback(status: FeedbackStatus, waiting?: string): void {
  const analysis = status.analysis === 'analysed' ? `analysed by ${status.analysedBy ?? 'a model'}` : status.analysis === 'deferred' ? 'analysis deferred' : `analysis ${status.analysis}`;
  const review = status.review === 'pending' ? 'review pending' : status.review === 'not_required' ? 'no review needed' : `${status.review}${status.reviewerId ? ` by member ${status.reviewerId}` : ''}`;
  showDetails(`Feedback ${status.trackingId}: ${analysis}; ${review}; ${status.shared ? 'shared with the platform' : 'not shared yet'}`, waiting ?? '');
}
