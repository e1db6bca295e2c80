// /telegram-link: a one-time code the member sends to Steward's Telegram bot, so that Approve and Reject pressed in
// Telegram count as theirs, under their Discord roles. Only the code's hash is kept, for 10 minutes.
import type { APIChatInputApplicationCommandInteraction } from 'discord-api-types/v10';
import type { Command } from '../../../discord/handlers.js';
import { deferEphemeral, ephemeralMessage } from '../../../discord/responder.js';
import { LINK_CODE_MINUTES, issueLinkCode } from '../store/telegram.js';

export function telegramLinkCommand(telegramConfigured: boolean): Command<APIChatInputApplicationCommandInteraction> {
  return {
    data: { name: 'telegram-link', description: 'Link your Telegram account, to decide approval requests from Telegram', contexts: [0] },
    async execute(interaction, respond, { database }) {
      if (!interaction.guild_id || !interaction.member) return respond.acknowledge(ephemeralMessage('Link your Telegram account from a server.'));
      if (!telegramConfigured) return respond.acknowledge(ephemeralMessage('Telegram approvals are not set up for Steward.'));
      await respond.acknowledge(deferEphemeral);
      const code = await database.transaction((em) => issueLinkCode(em, interaction.guild_id!, interaction.member!.user.id));
      await respond.editOriginal({
        content: `Send \`/link ${code}\` to Steward's Telegram bot in a private chat within ${LINK_CODE_MINUTES} minutes. The code works once.`,
      });
    },
  };
}
