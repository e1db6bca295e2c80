// The feedback review card's Approve and Reject. Each is a Workflow Update (`updateId` = the interaction id, so a
// redelivered click is one decision); the workflow's validator refuses members who are not reviewers, the author,
// and a second verdict, in Steward's words, answered ephemerally.
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { feedbackIdOf, feedbackReviewCustomIds } from '../../../workflows/engagement/custom-id.js';
import { REVIEW_REFUSED, feedbackWorkflowId, reviewFeedback } from '../../../workflows/engagement/messages.js';
import { componentHandler } from '../../discord/handlers.js';
import { updateRefusal } from '../../temporal/update-refusal.js';

const refusalWords = {
  refusalType: REVIEW_REFUSED,
  finished: 'This feedback was already reviewed.',
  simultaneous: 'Another reviewer decided at the same moment; the card shows the outcome.',
};

export const reviewButtons = componentHandler(feedbackReviewCustomIds, async (interaction, { action, key }, respond, { temporal }) => {
  await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
  const member = interaction.member;
  if (!member) return respond.followUp({ content: 'Feedback is reviewed in the server.', flags: MessageFlags.Ephemeral });
  try {
    await temporal.workflow.getHandle(feedbackWorkflowId(feedbackIdOf(key))).executeUpdate(reviewFeedback, {
      args: [{ reviewer: { userId: member.user.id, roleIds: member.roles, permissions: member.permissions }, verdict: action }],
      updateId: interaction.id,
    });
  } catch (error) {
    const refusal = updateRefusal(error, refusalWords);
    if (refusal === undefined) throw error;
    await respond.followUp({ content: refusal, flags: MessageFlags.Ephemeral });
  }
});
