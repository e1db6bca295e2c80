// /ping: the smallest Discord round trip through the spine. The reply is ephemeral (it is personal), deferred
// first (the workflow may take longer than Discord's 3 seconds), and carries a button that pings again.
import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
} from 'discord-api-types/v10';
import { pingCustomIds } from '../../../workflows/ping/custom-id.js';
import { ping, type PingResult } from '../../../workflows/ping/ping.js';
import { button, buttonRow } from '../../../workflows/shared/discord-kit.js';
import { componentHandler, type AdapterContext, type Command } from '../../discord/handlers.js';
import { actorId, actorName, channelName } from '../../discord/names.js';
import { deferEphemeral } from '../../discord/responder.js';

/**
 * One workflow per interaction id: a redelivered interaction (gateway replay, a retried HTTP delivery) finds the
 * workflow already started and gets its result, so the row is written once.
 */
async function runPing(interaction: APIInteraction, message: string, { flows }: AdapterContext) {
  const { handle } = await flows.start(ping, {
    workflowId: `ping:discord:${interaction.id}`,
    args: [{ message }],
    kind: 'ping',
    guildId: interaction.guild_id,
    summary: `${actorName(interaction)} pings Steward from ${channelName(interaction)}`,
    memberIds: [actorId(interaction)].filter((id) => id !== undefined),
    idReusePolicy: 'REJECT_DUPLICATE',
  });
  return handle.result();
}

function pingCard(result: PingResult) {
  return {
    content: `Pong: "${result.message}" (workflow \`${result.pingId}\`, recorded ${result.recordedAt})`,
    components: [buttonRow([button('Ping again', pingCustomIds.encode('again', result.message))])],
  };
}

export const pingCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'ping',
    description: 'Check that Steward is alive: runs a durable workflow and reports back',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'message', description: 'Text to echo', max_length: 200 },
    ],
  },
  async execute(interaction, respond, context) {
    await respond.acknowledge(deferEphemeral);
    const option = interaction.data.options?.find((candidate) => candidate.name === 'message');
    const message = option?.type === ApplicationCommandOptionType.String ? option.value : 'pong';
    await respond.editOriginal(pingCard(await runPing(interaction, message, context)));
  },
};

export const pingButtons = componentHandler(pingCustomIds, async (interaction, { key: message }, respond, context) => {
  await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
  await respond.editOriginal(pingCard(await runPing(interaction, message, context)));
});
