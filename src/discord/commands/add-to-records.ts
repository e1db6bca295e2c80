// "Add to records" (message context menu) and the review card's buttons and Edit modal. The handlers only
// acknowledge, start the review workflow or send it an Update, and show the card the Update returns.
import {
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { reviewRecordSuggestions } from '../../../workflows/review-record-suggestions.js';
import {
  reviewClick,
  reviewSnapshot,
  reviewWorkflowId,
  type ReviewClick,
  type ReviewRequest,
} from '../../../workflows/review-messages.js';
import { FlowKind, GuildId } from '../../../workflows/search-attributes.js';
import { deferEphemeral, ephemeralMessage, type InteractionResponder } from '../responder.js';
import type { AdapterContext, Command, ComponentHandler } from './types.js';

/** Discord's permission bits that make a member a server admin here: Administrator or Manage Server. */
const ADMIN_BITS = (1n << 3n) | (1n << 5n);
const MODAL_DESCRIPTION = 'description';
const MODAL_SUBJECT = 'subject';

export function addToRecordsCommand(name: string, timeoutMs: number): Command<APIMessageApplicationCommandInteraction> {
  return {
    data: { type: ApplicationCommandType.Message, name },
    async execute(interaction, respond, { temporal, taskQueue }) {
      await respond.acknowledge(deferEphemeral);
      const { guild_id: guildId, member } = interaction;
      if (!guildId || !member) {
        await respond.editOriginal({ content: 'Records can only be added from a server channel.' });
        return;
      }
      const messageId = interaction.data.target_id;
      const request: ReviewRequest = {
        guildId,
        channelId: interaction.channel.id,
        messageId,
        reviewerId: member.user.id,
        reviewerName: member.nick ?? member.user.global_name ?? member.user.username,
        applicationId: interaction.application_id,
        interactionToken: interaction.token,
        force: (BigInt(member.permissions) & ADMIN_BITS) !== 0n,
        timeoutMs,
      };
      const workflowId = reviewWorkflowId(guildId, messageId);
      try {
        await temporal.workflow.start(reviewRecordSuggestions, {
          taskQueue,
          workflowId,
          args: [request],
          typedSearchAttributes: [
            { key: FlowKind, value: 'record-review' },
            { key: GuildId, value: guildId },
          ],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        const snapshot = await temporal.workflow.getHandle(workflowId).query(reviewSnapshot);
        await respond.editOriginal({
          content:
            snapshot.phase === 'finished'
              ? 'This message has just been reviewed.'
              : `<@${snapshot.reviewerId}> is reviewing this message right now.`,
        });
      }
    },
  };
}

/** custom_id key: `<workflow id without "review:">:<step>`. */
function parseKey(key: string): { workflowId: string; stepIndex: number } | undefined {
  const cut = key.lastIndexOf(':');
  const stepIndex = Number(key.slice(cut + 1));
  if (cut <= 0 || !Number.isInteger(stepIndex) || stepIndex < 0) return undefined;
  return { workflowId: `review:${key.slice(0, cut)}`, stepIndex };
}

export const reviewComponents: ComponentHandler = {
  flow: 'review',
  async run(interaction, target, respond, context) {
    const parsed = parseKey(target.key);
    if (!parsed) return respond.acknowledge(ephemeralMessage('This button has expired.'));
    if (target.action === 'edit' && interaction.type === InteractionType.MessageComponent) {
      return showEditModal(target.key, parsed, respond, context);
    }
    const action = target.action === 'edit' ? 'create' : target.action;
    if (action !== 'create' && action !== 'skip' && action !== 'cancel') {
      return respond.acknowledge(ephemeralMessage('This button has expired.'));
    }
    await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
    const click: ReviewClick = {
      action,
      stepIndex: parsed.stepIndex,
      userId: (interaction.member?.user ?? interaction.user)?.id ?? '',
      interactionToken: interaction.token,
      ...(interaction.type === InteractionType.ModalSubmit ? { edited: editsFrom(interaction) } : {}),
    };
    await sendClick(interaction, parsed.workflowId, click, respond, context);
  },
};

/** A redelivered click has the same interaction id, so its Update is applied once. */
async function sendClick(
  interaction: APIInteraction,
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

async function showEditModal(
  key: string,
  { workflowId, stepIndex }: { workflowId: string; stepIndex: number },
  respond: InteractionResponder,
  { temporal }: AdapterContext,
) {
  const snapshot = await temporal.workflow
    .getHandle(workflowId)
    .query(reviewSnapshot)
    .catch(() => undefined);
  const step = snapshot?.current;
  if (!step || step.index !== stepIndex) {
    return respond.acknowledge(ephemeralMessage('This card is not current any more.'));
  }
  await respond.acknowledge({
    type: InteractionResponseType.Modal,
    data: {
      custom_id: `review:edit:${key}`,
      title: `Edit item ${stepIndex + 1}`,
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
