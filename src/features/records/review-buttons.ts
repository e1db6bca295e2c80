// The review card's buttons and its Edit modal. The handler only acknowledges, sends the review workflow an
// Update, and shows the card the Update returns; a refusal is answered ephemerally in Steward's words.
import {
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIMessage,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { reviewCustomIds, type ReviewCardKey } from '../../../workflows/records/custom-id.js';
import {
  REVIEW_REFUSAL,
  reviewClick,
  reviewReplies,
  type ReviewClick,
} from '../../../workflows/records/review-messages.js';
import { textInputRow } from '../../../workflows/shared/discord-kit.js';
import { componentHandler, type AdapterContext, type ComponentInteraction } from '../../discord/handlers.js';
import { ephemeralMessage, type InteractionResponder } from '../../discord/responder.js';
import { updateRefusal } from '../../temporal/update-refusal.js';

const MODAL_DESCRIPTION = 'description';
const MODAL_SUBJECT = 'subject';

export const reviewButtons = componentHandler(reviewCustomIds, async (interaction, { action, key }, respond, context) => {
  if (action === 'edit' && interaction.type === InteractionType.MessageComponent) {
    return showEditModal(key, interaction.message, respond);
  }
  await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
  const click: ReviewClick = {
    // The Edit modal's submission is a create with the member's edits.
    action: action === 'edit' ? 'create' : action,
    stepIndex: key.stepIndex,
    userId: (interaction.member?.user ?? interaction.user)?.id ?? '',
    interactionToken: interaction.token,
    ...(interaction.type === InteractionType.ModalSubmit ? { edited: editsFrom(interaction) } : {}),
  };
  await sendClick(interaction, key.workflowId, click, respond, context);
});

/** How long a click waits for its card before the member is told that Steward is still on it. */
const CLICK_PATIENCE_MS = 5_000;

/**
 * A redelivered click has the same interaction id, so its Update is applied once. The workflow bounds the click's
 * own work (its write has a few attempts, then the step reopens), so the wait after the notice is bounded too.
 */
async function sendClick(
  interaction: ComponentInteraction,
  workflowId: string,
  click: ReviewClick,
  respond: InteractionResponder,
  { temporal }: AdapterContext,
) {
  try {
    const update = temporal.workflow.getHandle(workflowId).executeUpdate(reviewClick, { args: [click], updateId: interaction.id });
    let patience: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (patience = setTimeout(() => resolve('slow'), CLICK_PATIENCE_MS)));
    const first = await Promise.race([update, slow]).finally(() => clearTimeout(patience));
    if (first === 'slow') await respond.followUp({ content: reviewReplies.stillWorking, flags: MessageFlags.Ephemeral });
    await respond.editOriginal(first === 'slow' ? await update : first);
  } catch (error) {
    const refusal = updateRefusal(error, refusalWords);
    if (refusal === undefined) throw error;
    await respond.followUp({ content: refusal, flags: MessageFlags.Ephemeral });
  }
}

const refusalWords = { refusalType: REVIEW_REFUSAL, finished: reviewReplies.over, simultaneous: reviewReplies.simultaneous };

/**
 * The modal is pre-filled from the card the member clicked, which the interaction carries: no round trip to
 * Temporal inside Discord's 3 seconds. A stale card's submission is refused by the workflow's validator.
 */
async function showEditModal(key: ReviewCardKey, card: APIMessage, respond: InteractionResponder) {
  const embed = card.embeds[0];
  if (!embed?.title || embed.description === undefined) return respond.acknowledge(ephemeralMessage(reviewReplies.notCurrent));
  // Titles read "Item 2 of 5: Problem report — Pinball 3"; a type that needs a subject always has one by now.
  const subjectName = /^Item \d+ of \d+: .+? — (.+)$/.exec(embed.title)?.[1];
  await respond.acknowledge({
    type: InteractionResponseType.Modal,
    data: {
      custom_id: reviewCustomIds.encode('edit', key),
      title: `Edit item ${key.stepIndex + 1}`,
      components: [
        textInputRow({ customId: MODAL_DESCRIPTION, label: 'Description', style: TextInputStyle.Paragraph, value: embed.description, required: true, maxLength: 1000 }),
        ...(subjectName
          ? [textInputRow({ customId: MODAL_SUBJECT, label: 'Subject (as in the catalogue)', style: TextInputStyle.Short, value: subjectName, required: true, maxLength: 100 })]
          : []),
      ],
    },
  });
}

function editsFrom(interaction: APIModalSubmitInteraction): ReviewClick['edited'] {
  const values = new Map<string, string>();
  for (const row of interaction.data.components) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const input of row.components) if (input.type === ComponentType.TextInput) values.set(input.custom_id, input.value);
  }
  const subjectName = values.get(MODAL_SUBJECT)?.trim();
  return { description: values.get(MODAL_DESCRIPTION) ?? '', ...(subjectName ? { subjectName } : {}) };
}
