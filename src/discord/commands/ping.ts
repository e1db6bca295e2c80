// /ping: the smallest Discord round trip through the spine. The reply is ephemeral (it is personal), deferred
// first (the workflow may take longer than Discord's 3 seconds), and carries a button that pings again.
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
} from 'discord-api-types/v10';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ping, type PingResult } from '../../../workflows/ping.js';
import { FlowKind, GuildId } from '../../../workflows/search-attributes.js';
import { encodeCustomId } from '../custom-id.js';
import { deferEphemeral } from '../responder.js';
import type { AdapterContext, Command, ComponentHandler } from './types.js';

/**
 * One workflow per interaction id: a redelivered interaction (gateway replay, a retried HTTP delivery) finds the
 * workflow already started and gets its result, so the row is written once.
 */
async function runPing(interaction: APIInteraction, message: string, { temporal, taskQueue }: AdapterContext) {
  const workflowId = `ping:discord:${interaction.id}`;
  try {
    await temporal.workflow.start(ping, {
      taskQueue,
      workflowId,
      args: [{ message }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: FlowKind, value: 'ping' },
        ...(interaction.guild_id ? [{ key: GuildId, value: interaction.guild_id }] : []),
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return temporal.workflow.getHandle<typeof ping>(workflowId).result();
}

function pingCard(result: PingResult) {
  const again: APIButtonComponent = {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'Ping again',
    custom_id: encodeCustomId({ flow: 'ping', action: 'again', key: encodeMessage(result.message) }),
  };
  const row: APIActionRowComponent<APIButtonComponent> = { type: ComponentType.ActionRow, components: [again] };
  return { content: `Pong: "${result.message}" (workflow \`${result.pingId}\`, recorded ${result.recordedAt})`, components: [row] };
}

/** The echoed text rides in the custom_id, so it is kept short and to the custom_id alphabet. */
function encodeMessage(message: string): string {
  return message.replace(/[^\w.-]/g, '-').slice(0, 40) || 'pong';
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

export const pingButtons: ComponentHandler = {
  flow: 'ping',
  async run(interaction, target, respond, context) {
    await respond.acknowledge({ type: InteractionResponseType.DeferredMessageUpdate });
    await respond.editOriginal(pingCard(await runPing(interaction, target.key, context)));
  },
};
