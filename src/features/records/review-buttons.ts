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
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewCustomIds, type ReviewCardKey } from '../../../workflows/records/custom-id.js';
import {
  REVIEW_REFUSAL,
  reviewClick,
  reviewReplies,
  type ReviewClick,
} from '../../../workflows/records/review-messages.js';
import { componentHandler, type AdapterContext, type ComponentInteraction } from '../../discord/handlers.js';
import { ephemeralMessage, type InteractionResponder } from '../../discord/responder.js';

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
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    await respond.followUp({ content: refusal, flags: MessageFlags.Ephemeral });
  }
}

/** Steward's sentence for a click the review did not take; undefined for a real failure. */
function refusalOf(error: unknown): string | undefined {
  if (error instanceof WorkflowNotFoundError) return reviewReplies.over;
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type === REVIEW_REFUSAL) return cause.message;
    // Many Updates at once on one workflow: the server drops some before the worker sees them.
    if (/wasn't processed by worker/i.test(cause?.message ?? error.message)) return reviewReplies.simultaneous;
    return undefined;
  }
  // A finished workflow refuses Updates outright.
  if (/workflow execution already completed/i.test((error as Error).message ?? '')) return reviewReplies.over;
  return undefined;
}

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
        textRow(MODAL_DESCRIPTION, 'Description', TextInputStyle.Paragraph, embed.description, true, 1000),
        ...(subjectName ? [textRow(MODAL_SUBJECT, 'Subject (as in the catalogue)', TextInputStyle.Short, subjectName, true, 100)] : []),
      ],
    },
  });
}

function textRow(customId: string, label: string, style: TextInputStyle, value: string, required: boolean, maxLength: number) {
  return {
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: customId,
        label,
        style,
        required,
        max_length: maxLength,
        ...(value ? { value: value.slice(0, maxLength) } : {}),
      },
    ],
  };
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
