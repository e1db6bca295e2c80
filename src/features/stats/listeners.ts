// What statistics hear from the gateway, in the adapter: members' messages, joins, leaves and the commands they
// use, counted in the tally (written every two seconds), never a workflow per event.
import {
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionType,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  type GatewayInteractionCreateDispatchData,
  type GatewayMessageCreateDispatchData,
} from 'discord-api-types/v10';
import { perDatabase } from '../../db/reloaded-snapshot.js';
import { gatewayListener } from '../../discord/handlers.js';
import { StatsTally } from './tally.js';

/** The process's tally: the listeners count into it, the writer empties it. */
export const statsTallyFor = perDatabase(() => new StatsTally());

export function statsListeners() {
  return [
    gatewayListener<GatewayMessageCreateDispatchData>({
      event: GatewayDispatchEvents.MessageCreate,
      intents: GatewayIntentBits.GuildMessages,
      async handle(message, { database }) {
        if (!message.guild_id || message.author.bot || message.webhook_id) return;
        statsTallyFor(database).message(message.guild_id, message.channel_id, message.author.id, Date.now());
      },
    }),
    gatewayListener<GatewayGuildMemberAddDispatchData>({
      event: GatewayDispatchEvents.GuildMemberAdd,
      intents: GatewayIntentBits.GuildMembers,
      async handle(member, { database }) {
        if (!member.user?.bot) statsTallyFor(database).count('joins', member.guild_id, null, Date.now());
      },
    }),
    gatewayListener<GatewayGuildMemberRemoveDispatchData>({
      event: GatewayDispatchEvents.GuildMemberRemove,
      intents: GatewayIntentBits.GuildMembers,
      async handle(member, { database }) {
        if (!member.user.bot) statsTallyFor(database).count('leaves', member.guild_id, null, Date.now());
      },
    }),
    gatewayListener<GatewayInteractionCreateDispatchData>({
      event: GatewayDispatchEvents.InteractionCreate,
      intents: 0,
      async handle(interaction, { database }) {
        if (interaction.type !== InteractionType.ApplicationCommand || !interaction.guild_id) return;
        statsTallyFor(database).count('commands', interaction.guild_id, interaction.channel?.id ?? null, Date.now());
      },
    }),
  ];
}
