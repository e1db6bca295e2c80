// The gateway adapter: one discord.js client per bot token, with the fewest intents the features need. It
// registers the command registry with a bulk overwrite, hands every INTERACTION_CREATE to the dispatcher and every
// other event a feature listens to to that feature's listener.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { ApplicationFlags, GatewayDispatchEvents, Routes, type APIApplication, type APIInteraction, type GatewayDispatchPayload } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import type { Logger } from '../observability/logger.js';
import type { InteractionDispatcher } from './dispatch.js';
import { gatewayResponder } from './responder.js';
import type { AdapterContext, Command, GatewayListener, ListenerContext } from './handlers.js';
import { MESSAGE_CONTENT_WARNING } from './message-content.js';

export interface GatewayOptions {
  token: string;
  applicationId: string;
  /** Register commands in this server only (instant) instead of globally (cached by Discord for up to an hour). */
  guildId?: string;
  /** Base of the REST API, e.g. a local Discord sandbox's `http://127.0.0.1:PORT/api`; Discord's own by default. */
  restApi?: string;
  commands: readonly Command<never>[];
  dispatch: InteractionDispatcher;
  listeners?: readonly GatewayListener[];
  /** What listeners are given: the Temporal client, the database, the flow starter. */
  context?: AdapterContext;
  logger: Logger;
}

export interface DiscordGateway {
  client: Client;
  stop(): Promise<void>;
}

export async function startDiscordGateway(options: GatewayOptions): Promise<DiscordGateway> {
  const { logger } = options;
  const listeners = options.listeners ?? [];
  const rest = new Client({ intents: [], rest: options.restApi ? { api: options.restApi } : {} }).rest.setToken(options.token);
  const privileged = await privilegedIntentsOf(rest);
  const wanted = listeners.reduce((all, listener) => all | listener.intents, GatewayIntentBits.Guilds as number);
  const refused = wanted & PRIVILEGED & ~privileged;
  if (refused & GatewayIntentBits.MessageContent) logger.warn(MESSAGE_CONTENT_WARNING);
  if (refused & GatewayIntentBits.GuildMembers) logger.warn(MEMBERS_WARNING);
  const client = new Client({
    intents: wanted & ~refused,
    rest: options.restApi ? { api: options.restApi } : {},
  });
  client.rest.setToken(options.token);

  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  await client.rest.put(route, { body: options.commands.map((command) => command.data) });
  logger.info({ commands: options.commands.map((command) => command.data.name), guildId: options.guildId }, 'Commands registered');

  // The raw payload, not discord.js' Interaction object: handlers are shared with the HTTP interactions endpoint.
  const byEvent = Map.groupBy(listeners, (listener) => listener.event as string);
  let listenerContext: ListenerContext | undefined;
  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t === GatewayDispatchEvents.InteractionCreate) {
      const interaction = packet.d as APIInteraction;
      void options.dispatch(interaction, gatewayResponder(client.rest, { ...interaction, applicationId: interaction.application_id }));
      // Listeners of interactions only watch (statistics count commands); answering is the dispatcher's.
    }
    const listening = byEvent.get(packet.t);
    if (!listening || !options.context || !client.user) return;
    listenerContext ??= { ...options.context, botUserId: client.user.id };
    for (const listener of listening) {
      listener.handle(packet.d as never, listenerContext).catch((error: unknown) => logger.error({ err: error, event: packet.t }, 'Gateway listener failed'));
    }
  });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'Discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId }, 'Gateway disconnected'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(options.token);
  await ready;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'Discord gateway ready');
  if (!(privileged & GatewayIntentBits.MessageContent) && !(refused & GatewayIntentBits.MessageContent)) logger.warn(MESSAGE_CONTENT_WARNING);
  return { client, stop: () => client.destroy() };
}

const PRIVILEGED = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** The privileged intents the application may request (asking for one it lacks closes the gateway with 4014). */
async function privilegedIntentsOf(rest: REST): Promise<number> {
  const flags = ((await rest.get(Routes.currentApplication())) as APIApplication).flags ?? 0;
  let allowed = 0;
  if (flags & (ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited)) allowed |= GatewayIntentBits.GuildMembers;
  if (flags & (ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayPresenceLimited)) allowed |= GatewayIntentBits.GuildPresences;
  if (flags & (ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited)) allowed |= GatewayIntentBits.MessageContent;
  return allowed;
}

const MEMBERS_WARNING =
  'The Server Members intent is off for this application: Steward does not see members join (a muted member who rejoins is not muted again). ' +
  'Turn it on in the Discord developer portal (your application → Bot → Privileged Gateway Intents → Server Members Intent).';
