// The approval card's buttons and its Modify modal. Each decision is a Workflow Update (`updateId` = the
// interaction id, so a redelivered click is the same decision); the workflow edits the card, and a refusal is
// answered ephemerally in Steward's words.
import {
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  TextInputStyle,
  type APIMessage,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { ACTION_TYPES, parseDuration, type ApprovalAction } from '../../../workflows/approvals/actions.js';
import { approvalActionSchema } from './action-schema.js';
import { approvalCustomIds, type ApprovalKey } from '../../../workflows/approvals/custom-id.js';
import type { Decision } from '../../../workflows/approvals/decisions.js';
import { DECISION_REFUSED, approvalWorkflowId, decideApproval } from '../../../workflows/approvals/messages.js';
import { textInputRow } from '../../../workflows/shared/discord-kit.js';
import { componentHandler, type AdapterContext, type ComponentInteraction } from '../../discord/handlers.js';
import { ephemeralMessage, type InteractionResponder } from '../../discord/responder.js';
import { updateRefusal } from '../../temporal/update-refusal.js';

const FIELD = { action: 'action', duration: 'duration', reason: 'reason' } as const;

export const approvalButtons = componentHandler(approvalCustomIds, async (interaction, { action, key }, respond, context) => {
  if (action === 'modify') {
    if (interaction.type !== InteractionType.MessageComponent) return respond.acknowledge(ephemeralMessage('This form has expired.'));
    return showModifyModal(key, interaction.message, respond);
  }
  let decision: Decision;
  if (action === 'modified') {
    if (interaction.type !== InteractionType.ModalSubmit) return respond.acknowledge(ephemeralMessage('This form has expired.'));
    const modification = modificationFrom(interaction);
    if (typeof modification === 'string') return respond.acknowledge(ephemeralMessage(modification));
    decision = { kind: 'modify', ...modification };
  } else {
    decision = { kind: action === 'approve' ? 'approve' : 'reject' };
  }
  await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
  await decide(interaction, key, decision, respond, context);
});

async function decide(interaction: ComponentInteraction, key: ApprovalKey, decision: Decision, respond: InteractionResponder, { temporal }: AdapterContext) {
  const member = interaction.member;
  if (!member) return respond.followUp({ content: 'Approvals are decided in the server, not in DMs.', flags: MessageFlags.Ephemeral });
  const decider = { userId: member.user.id, roleIds: member.roles, permissions: member.permissions };
  try {
    await temporal.workflow
      .getHandle(approvalWorkflowId(key.guildId, key.caseId))
      .executeUpdate(decideApproval, { args: [{ decider, decision }], updateId: interaction.id });
  } catch (error) {
    const refusal = updateRefusal(error, refusalWords);
    if (refusal === undefined) throw error;
    await respond.followUp({ content: refusal, flags: MessageFlags.Ephemeral });
  }
}

const refusalWords = {
  refusalType: DECISION_REFUSED,
  finished: 'This request was already decided.',
  simultaneous: 'Another decision on this request was taken at the same moment; the card shows where it stands.',
};

/** Pre-filled from the card the approver clicked: the action from its title, the reason from its field. */
async function showModifyModal(key: ApprovalKey, card: APIMessage, respond: InteractionResponder) {
  const embed = card.embeds[0];
  const title = embed?.title ?? '';
  const current = /Timeout for (.+)$/.exec(title);
  const reason = embed?.fields?.find((field) => field.name === 'Reason')?.value ?? '';
  await respond.acknowledge({
    type: InteractionResponseType.Modal,
    data: {
      custom_id: approvalCustomIds.encode('modified', key),
      title: 'Modify the request',
      components: [
        textInputRow({
          customId: FIELD.action,
          label: 'Action: timeout, kick or ban',
          style: TextInputStyle.Short,
          value: current ? 'timeout' : (/: (Ban|Kick)$/.exec(title)?.[1] ?? '').toLowerCase(),
          required: true,
          maxLength: 10,
        }),
        textInputRow({
          customId: FIELD.duration,
          label: 'Timeout duration (e.g. 30m, 2h, 1d)',
          style: TextInputStyle.Short,
          value: current?.[1] ? compactDuration(current[1]) : '',
          required: false,
          maxLength: 10,
        }),
        textInputRow({ customId: FIELD.reason, label: 'Reason', style: TextInputStyle.Paragraph, value: reason, required: true, maxLength: 512 }),
      ],
    },
  });
}

/** The modal's answer as a milder action and reason, or what to fix, in words. */
function modificationFrom(interaction: APIModalSubmitInteraction): { action: ApprovalAction; reason: string } | string {
  const values = new Map<string, string>();
  for (const row of interaction.data.components) {
    if (row.type !== ComponentType.ActionRow) continue;
    for (const input of row.components) if (input.type === ComponentType.TextInput) values.set(input.custom_id, input.value.trim());
  }
  const type = values.get(FIELD.action)?.toLowerCase() ?? '';
  if (!(ACTION_TYPES as readonly string[]).includes(type)) return 'Write the action as timeout, kick or ban.';
  const durationSeconds = type === 'timeout' ? parseDuration(values.get(FIELD.duration) ?? '') : undefined;
  const action = approvalActionSchema.safeParse(type === 'timeout' ? { type, durationSeconds } : { type });
  if (!action.success) return 'A timeout needs a duration from 1 minute to 28 days, such as 30m, 2h or 1d.';
  const reason = values.get(FIELD.reason) ?? '';
  if (!reason) return 'Write a reason.';
  return { action: action.data, reason };
}

/** "2 hours" → "2h", to pre-fill the duration field in the form it is typed. */
function compactDuration(described: string): string {
  const [count, unit] = described.split(' ');
  return `${count}${unit?.[0] ?? ''}`;
}
