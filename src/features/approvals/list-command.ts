// /approvals: an approver's list of the requests waiting for a decision in this server, with links to their cards.
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { describeAction } from '../../../workflows/approvals/actions.js';
import { isApprover } from '../../../workflows/approvals/decisions.js';
import type { Command } from '../../discord/handlers.js';
import { deferEphemeral } from '../../discord/responder.js';
import { approvalSettings, pendingRequests } from './store/approvals.js';

export const approvalsCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: { name: 'approvals', description: 'List the moderation requests waiting for a decision' },
  async execute(interaction, respond, { database }) {
    await respond.acknowledge(deferEphemeral);
    const { guild_id: guildId, member } = interaction;
    if (!guildId || !member) return respond.editOriginal({ content: 'Approvals are listed in a server.' });
    const settings = await approvalSettings(database.fork(), guildId);
    if (!settings) return respond.editOriginal({ content: 'Approvals are not set up in this server yet.' });
    const approver = isApprover({ userId: member.user.id, roleIds: member.roles, permissions: member.permissions }, settings.approverRoleIds);
    if (!approver) return respond.editOriginal({ content: 'Only approvers can list pending requests.' });
    const pending = await pendingRequests(database.fork(), guildId);
    const lines = pending.map((request) => {
      const card = request.cardMessageId ? ` — https://discord.com/channels/${guildId}/${settings.channelId}/${request.cardMessageId}` : '';
      return `• Case ${request.caseId}: ${describeAction(request.action)} for <@${request.targetId}>, <t:${Math.floor(request.createdAt.getTime() / 1000)}:R>${card}`;
    });
    await respond.editOriginal({
      content: lines.length > 0 ? `Waiting for a decision:\n${lines.join('\n')}`.slice(0, 2000) : 'Nothing is waiting for a decision.',
      allowed_mentions: { parse: [] },
    });
  },
};
