// The messages volunteer engagement posts: the feedback review card, the recognition card, the milestone
// celebration, buddy introductions and the admins' alerts. Pure, so the workflows render them and replay the same.
import { ButtonStyle, button, buttonRow, escapeMarkdown, fitEmbed, type CardMessage } from '../shared/discord-kit.js';
import { feedbackReviewCustomIds, feedbackKeyOf } from './custom-id.js';
import { DIMENSIONS, type FeedbackAnalysis, type FeedbackInput, type ReviewVerdict } from './messages.js';
import { describeMilestone, type MilestoneMetric } from './milestones.js';
import { BADGE_NAMES, BADGE_POINTS, LEVEL_NAMES, nextLevel, type Badge, type Level } from './vis.js';

const COLOURS = { pending: 0x5865f2, approved: 0x57f287, rejected: 0xed4245, expired: 0x99aab5, celebration: 0xfee75c } as const;

const SENTIMENT_SIGNS = { positive: '🙂 positive', neutral: '😐 neutral', negative: '🙁 negative' } as const;

export function renderReviewCard(feedback: FeedbackInput, verdict: ReviewVerdict | 'pending', reviewerId?: string): CardMessage {
  const decided = verdict !== 'pending';
  const outcome = {
    pending: 'Waiting for a reviewer: **Approve** shares it with the programme team.',
    approved: `Approved by <@${reviewerId}> and shared.`,
    rejected: `Rejected by <@${reviewerId}>: not shared.`,
    expired: 'Nobody reviewed it in time: not shared.',
    not_required: 'Shared without review.',
  }[verdict];
  return {
    content: '',
    embeds: [
      fitEmbed({
        title: `Feedback ${feedback.trackingId}`,
        description: escapeMarkdown(feedback.text),
        color: decided ? COLOURS[verdict === 'approved' ? 'approved' : verdict === 'rejected' ? 'rejected' : 'expired'] : COLOURS.pending,
        fields: [
          { name: 'From', value: `<@${feedback.userId}>`, inline: true },
          { name: 'Sentiment', value: feedback.sentiment ? SENTIMENT_SIGNS[feedback.sentiment] : 'not given', inline: true },
          { name: 'Status', value: outcome },
        ],
      }),
    ],
    components: decided
      ? []
      : [
          buttonRow([
            button('Approve', feedbackReviewCustomIds.encode('approve', feedbackKeyOf(feedback.feedbackId)), ButtonStyle.Success),
            button('Reject', feedbackReviewCustomIds.encode('reject', feedbackKeyOf(feedback.feedbackId)), ButtonStyle.Danger),
          ]),
        ],
  };
}

/** The scores as one line each, for the platform's event and the HTTP API's readers. */
export function describeScores(analysis: FeedbackAnalysis): string {
  return DIMENSIONS.map((dimension) => `${dimension}: ${analysis.scores[dimension].toFixed(2)}`).join(', ');
}

export function renderRecognitionCard(input: { giverId: string; volunteerId: string; badge: Badge; achievement: string; scoreAfter: number; levelAfter: Level; levelBefore: Level }): CardMessage {
  const levelUp = input.levelAfter !== input.levelBefore;
  const next = nextLevel(input.scoreAfter);
  return {
    content: `<@${input.volunteerId}>`,
    embeds: [
      fitEmbed({
        title: `🏅 ${BADGE_NAMES[input.badge]} recognition`,
        description: `<@${input.giverId}> recognised <@${input.volunteerId}>:\n> ${escapeMarkdown(input.achievement)}`,
        color: COLOURS.celebration,
        fields: [
          { name: 'VIS', value: `${input.scoreAfter} (+${BADGE_POINTS[input.badge]})`, inline: true },
          { name: 'Level', value: `${LEVEL_NAMES[input.levelAfter]}${levelUp ? ' ⬆️ new level!' : ''}`, inline: true },
          { name: 'Next milestone', value: next ? `${LEVEL_NAMES[next.level]} at ${next.at} VIS (${next.missing} to go)` : 'Top level reached' },
        ],
      }),
    ],
    components: [],
  };
}

export function renderMilestoneCard(input: { programName: string; metric: MilestoneMetric; threshold: number }): CardMessage {
  return {
    content: '',
    embeds: [
      fitEmbed({
        title: `🎉 ${escapeMarkdown(input.programName)} reached ${describeMilestone(input.metric, input.threshold)}!`,
        description: input.metric === 'sroi'
          ? `Every unit invested now returns ${input.threshold} in social value. Thank you, everyone!`
          : 'Thank you to every volunteer who made it happen.',
        color: COLOURS.celebration,
      }),
    ],
    components: [],
  };
}

export function renderBuddyIntroduction(input: { memberId: string; buddyId: string; programName: string | null; note: string | null }): CardMessage {
  return {
    content: '',
    embeds: [
      fitEmbed({
        title: '👋 Meet your buddy',
        description: [
          `You have been matched with <@${input.buddyId}>${input.programName ? ` in **${escapeMarkdown(input.programName)}**` : ''}. Say hello!`,
          input.note ? `\n${escapeMarkdown(input.note)}` : '',
        ].join(''),
        color: COLOURS.pending,
      }),
    ],
    components: [],
  };
}

/** What the member reads in their DMs once their feedback has been reviewed. */
export function reviewOutcomeForMember(trackingId: string, verdict: ReviewVerdict): string | undefined {
  if (verdict === 'approved') return `Your feedback ${trackingId} was reviewed and shared with the programme team. Thank you!`;
  if (verdict === 'rejected') return `Your feedback ${trackingId} was reviewed and will not be shared. Thank you for taking the time.`;
  if (verdict === 'expired') return `Your feedback ${trackingId} was not reviewed in time, so it was not shared.`;
  return undefined;
}
