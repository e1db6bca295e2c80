// The gateway adapter: one discord.js client per bot token, with the fewest intents the features need. It
// registers the command registry with a bulk overwrite and hands every INTERACTION_CREATE to the dispatcher.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { GatewayDispatchEvents, Routes, type APIInteraction, type GatewayDispatchPayload } from 'discord-api-types/v10';
import type { Logger } from '../observability/logger.js';
import type { InteractionDispatcher } from './dispatch.js';
import { gatewayResponder } from './responder.js';
import type { Command } from './handlers.js';
import { hasMessageContentIntent, MESSAGE_CONTENT_WARNING } from './message-content.js';

export interface GatewayOptions {
  token: string;
  applicationId: string;
  /** Register commands in this server only (instant) instead of globally (cached by Discord for up to an hour). */
  guildId?: string;
  /** Base of the REST API, e.g. a local Discord sandbox's `http://127.0.0.1:PORT/api`; Discord's own by default. */
  restApi?: string;
  commands: readonly Command<never>[];
  dispatch: InteractionDispatcher;
  logger: Logger;
}

export interface DiscordGateway {
  client: Client;
  stop(): Promise<void>;
}

export async function startDiscordGateway(options: GatewayOptions): Promise<DiscordGateway> {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: options.restApi ? { api: options.restApi } : {},
  });
  client.rest.setToken(options.token);

  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  await client.rest.put(route, { body: options.commands.map((command) => command.data) });
  logger.info({ commands: options.commands.map((command) => command.data.name), guildId: options.guildId }, 'Commands registered');

  // The raw payload, not discord.js' Interaction object: handlers are shared with the HTTP interactions endpoint.
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
    const interaction = packet.d as APIInteraction;
    void options.dispatch(interaction, gatewayResponder(client.rest, { ...interaction, applicationId: interaction.application_id }));
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId }, 'Gateway disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord gateway ready');
  if (!(await hasMessageContentIntent(client.rest))) logger.warn(MESSAGE_CONTENT_WARNING);
  return { client, stop: () => client.destroy() };
}
