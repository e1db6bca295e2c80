// /digest: a preview of this week's digest (only for the member who asked), pause and resume (members who can
// manage the server), and subscribe or unsubscribe to get it by DM (everyone).
import { ApplicationCommandOptionType, PermissionFlagsBits, type APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import { postWeeklyDigest } from '../../../workflows/digests/digest-workflow.js';
import { digestPreviewWorkflowId } from '../../../workflows/digests/messages.js';
import type { Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { deferEphemeral, ephemeralMessage } from '../../discord/responder.js';
import { setDigestPaused } from './control.js';
import type { DigestsEnv } from './env.js';
import { subscribe, unsubscribe } from './store/digests.js';
import { actorName } from '../../discord/names.js';

const FOR_MANAGERS = new Set(['preview', 'pause', 'resume']);

export function digestCommand(env: DigestsEnv): Command<APIChatInputApplicationCommandInteraction> {
  return {
    data: {
      name: 'digest',
      description: "This server's weekly digest",
      contexts: [0],
      options: [
        { type: ApplicationCommandOptionType.Subcommand, name: 'preview', description: "See this week's digest now (only you see it)" },
        { type: ApplicationCommandOptionType.Subcommand, name: 'pause', description: 'Pause the weekly digest' },
        { type: ApplicationCommandOptionType.Subcommand, name: 'resume', description: 'Resume the weekly digest' },
        { type: ApplicationCommandOptionType.Subcommand, name: 'subscribe', description: 'Get the weekly digest by DM too' },
        { type: ApplicationCommandOptionType.Subcommand, name: 'unsubscribe', description: 'Stop getting the weekly digest by DM' },
      ],
    },
    async execute(interaction, respond, { database, flows, temporal }) {
      const guildId = interaction.guild_id;
      const member = interaction.member;
      if (!guildId || !member) return respond.acknowledge(ephemeralMessage('Digests are kept per server.'));
      const subcommand = new CommandOptions(interaction).subcommand ?? '';
      const granted = BigInt(member.permissions || '0');
      const manages = (granted & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild || (granted & PermissionFlagsBits.Administrator) !== 0n;
      if (FOR_MANAGERS.has(subcommand) && !manages) return respond.acknowledge(ephemeralMessage('Only members who can manage the server can preview, pause or resume the digest.'));
      await respond.acknowledge(deferEphemeral);
      const userId = member.user.id;
      const scheduling = { client: temporal, taskQueue: flows.taskQueue, intervalSeconds: env.intervalSeconds };
      switch (subcommand) {
        case 'preview':
          // The workflow answers in this reply; the interaction id makes a redelivered command one preview.
          await flows.start(postWeeklyDigest, {
            workflowId: digestPreviewWorkflowId(guildId, interaction.id),
            args: [{ guildId, intervalSeconds: env.intervalSeconds ?? 7 * 86_400, delivery: { kind: 'preview', reply: { applicationId: interaction.application_id, token: interaction.token } } }],
            kind: 'digest-preview',
            guildId,
            summary: `${actorName(interaction)} previews this week's digest`,
            memberIds: [userId],
          });
          return;
        case 'pause':
        case 'resume': {
          const done = await setDigestPaused({ database, flows, scheduling }, guildId, subcommand === 'pause', `<@${userId}>`);
          return respond.editOriginal({ content: done ? (subcommand === 'pause' ? 'The weekly digest is paused until someone resumes it.' : 'The weekly digest is back on.') : 'The weekly digest is off: turn it on with /config digest set.' });
        }
        case 'subscribe': {
          const added = await database.transaction((em) => subscribe(em, guildId, userId));
          return respond.editOriginal({ content: added ? 'You will get the weekly digest by DM too.' : 'You already get the weekly digest by DM.' });
        }
        default: {
          const removed = await database.transaction((em) => unsubscribe(em, guildId, userId));
          return respond.editOriginal({ content: removed ? 'You will no longer get the weekly digest by DM.' : 'You were not getting the weekly digest by DM.' });
        }
      }
    },
  };
}
