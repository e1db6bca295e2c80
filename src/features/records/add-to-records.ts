// "Add to records" (message context menu): acknowledges at once, then starts the review workflow, which shows
// its cards through the command's interaction token. A second invocation on a message under review joins it.
import {
  ApplicationCommandType,
  type APIMessageApplicationCommandInteraction,
} from 'discord-api-types/v10';
import { reviewWorkflowId } from '../../../workflows/records/custom-id.js';
import { reviewSnapshot, type ReviewRequest } from '../../../workflows/records/review-messages.js';
import { reviewRecordSuggestions } from '../../../workflows/records/review-workflow.js';
import type { Command } from '../../discord/handlers.js';
import { deferEphemeral } from '../../discord/responder.js';
import { channelName, nameOf } from '../../discord/names.js';

/** Discord's permission bits that make a member a server admin here: Administrator or Manage Server. */
const ADMIN_BITS = (1n << 3n) | (1n << 5n);

export function addToRecordsCommand(name: string, timeoutMs: number): Command<APIMessageApplicationCommandInteraction> {
  return {
    data: { type: ApplicationCommandType.Message, name },
    async execute(interaction, respond, { flows }) {
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
        reviewerName: nameOf(member, member.user),
        applicationId: interaction.application_id,
        interactionToken: interaction.token,
        targetMessage: interaction.data.resolved.messages[messageId],
        force: (BigInt(member.permissions) & ADMIN_BITS) !== 0n,
        timeoutMs,
      };
      const { handle, started } = await flows.start(reviewRecordSuggestions, {
        workflowId: reviewWorkflowId(guildId, messageId),
        args: [request],
        kind: 'record-review',
        guildId,
        summary: `${request.reviewerName} reviews suggested records from a message in ${channelName(interaction)}`,
        memberIds: [member.user.id],
      });
      if (started) return;
      const snapshot = await handle.query(reviewSnapshot);
      await respond.editOriginal({
        content:
          snapshot.phase === 'finished'
            ? 'This message has just been reviewed.'
            : `<@${snapshot.reviewerId}> is reviewing this message right now.`,
      });
    },
  };
}
