// The review card's buttons and its Edit modal. The handler only acknowledges, sends the review workflow an
// Update, and shows the card the Update returns; a refusal is answered ephemerally in Steward's words.
import {
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewCustomIds, type ReviewCardKey } from '../../../workflows/records/custom-id.js';
import { reviewClick, reviewSnapshot, type ReviewClick } from '../../../workflows/records/review-messages.js';
import { componentHandler, type AdapterContext, type ComponentInteraction } from '../../discord/handlers.js';
import { ephemeralMessage, type InteractionResponder } from '../../discord/responder.js';

const MODAL_DESCRIPTION = 'description';
const MODAL_SUBJECT = 'subject';

export const reviewButtons = componentHandler(reviewCustomIds, async (interaction, { action, key }, respond, context) => {
  if (action === 'edit' && interaction.type === InteractionType.MessageComponent) {
    return showEditModal(key, respond, context);
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

/** A redelivered click has the same interaction id, so its Update is applied once. */
async function sendClick(
  interaction: ComponentInteraction,
  workflowId: string,
  click: ReviewClick,
  respond: InteractionResponder,
  { temporal }: AdapterContext,
) {
  try {
    const card = await temporal.workflow.getHandle(workflowId).executeUpdate(reviewClick, { args: [click], updateId: interaction.id });
    await respond.editOriginal(card);
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    await respond.followUp({ content: refusal, flags: MessageFlags.Ephemeral });
  }
}

function refusalOf(error: unknown): string | undefined {
  if (error instanceof WorkflowNotFoundError) return 'This review is over.';
  if (error instanceof WorkflowUpdateFailedError) return error.cause?.message ?? 'That cannot be done now.';
  // A validator's refusal arrives as a failed update; a finished workflow refuses updates outright.
  if (/workflow execution already completed/i.test((error as Error).message ?? '')) return 'This review is over.';
  return undefined;
}

async function showEditModal(key: ReviewCardKey, respond: InteractionResponder, { temporal }: AdapterContext) {
  const snapshot = await temporal.workflow
    .getHandle(key.workflowId)
    .query(reviewSnapshot)
    .catch(() => undefined);
  const step = snapshot?.current;
  if (!step || step.index !== key.stepIndex) {
    return respond.acknowledge(ephemeralMessage('This card is not current any more.'));
  }
  await respond.acknowledge({
    type: InteractionResponseType.Modal,
    data: {
      custom_id: reviewCustomIds.encode('edit', key),
      title: `Edit item ${key.stepIndex + 1}`,
      components: [
        textRow(MODAL_DESCRIPTION, 'Description', TextInputStyle.Paragraph, step.description, true, 1000),
        ...(step.needsSubject || step.subjectName
          ? [textRow(MODAL_SUBJECT, 'Subject (as in the catalogue)', TextInputStyle.Short, step.subjectName ?? '', step.needsSubject, 100)]
          : []),
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
