// A command is data plus a handler; a component handler first parses its custom_id with its flow's codec
// (returning nothing for ids it never wrote), then runs with the parsed value (Sapphire's parse → run).
// Handlers get the raw interaction payload and a responder, so the gateway and the HTTP endpoint share them.
import type { REST } from '@discordjs/rest';
import type { Client } from '@temporalio/client';
import type {
  GatewayDispatchEvents,
  APIApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { ComponentTarget, CustomIdCodec } from '../../workflows/shared/custom-id.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { FlowStarter } from '../temporal/start-flow.js';
import type { InteractionResponder } from './responder.js';

export interface AdapterContext {
  temporal: Client;
  /** Discord's REST API, for reads a handler makes after it has acknowledged (undefined without a bot token). */
  discord?: REST;
  /** For quick reads a handler answers from (a list, a setting), after it has acknowledged. */
  database: Database;
  /** Starts or joins flows on the workers' task queue. */
  flows: FlowStarter;
  logger: Logger;
}

export interface Command<Interaction extends APIApplicationCommandInteraction = APIApplicationCommandInteraction> {
  data: RESTPostAPIApplicationCommandsJSONBody;
  execute(interaction: Interaction, respond: InteractionResponder, context: AdapterContext): Promise<void>;
}

export type ComponentInteraction = APIMessageComponentInteraction | APIModalSubmitInteraction;

export interface ComponentHandler<Parsed = unknown> {
  /** The `flow` part of the custom_ids this handler owns. */
  flow: string;
  /** The click's meaning, or undefined for an id this flow never wrote (answered as expired). */
  parse(target: ComponentTarget): Parsed | undefined;
  run(interaction: ComponentInteraction, parsed: Parsed, respond: InteractionResponder, context: AdapterContext): Promise<void>;
}

/** A handler for the custom_ids of one codec: the card that encodes them and this handler share it. */
export function componentHandler<Action extends string, Key>(
  codec: CustomIdCodec<Action, Key>,
  run: ComponentHandler<{ action: Action; key: Key }>['run'],
): ComponentHandler<{ action: Action; key: Key }> {
  return { flow: codec.flow, parse: (target) => codec.parse(target), run };
}

/**
 * A gateway event a feature reacts to (a member joining, a message, an audit log entry), with the intents it needs.
 * Handlers run on the adapter's event loop for every such event: they decide quickly, in memory, and start or signal
 * a workflow only when there is something to do.
 */
export interface GatewayListener<Data = never> {
  event: GatewayDispatchEvents;
  /** GatewayIntentBits the event needs, OR-ed; privileged ones are requested only if the application has them. */
  intents: number;
  handle(data: Data, context: ListenerContext): Promise<void>;
}

/** A listener's context: the adapter's, plus the bot's own user id (to tell its own actions from others'). */
export interface ListenerContext extends AdapterContext {
  botUserId: string;
}

/** Keeps the payload type of one listener while the list holds listeners of many events. */
export function gatewayListener<Data>(listener: GatewayListener<Data>): GatewayListener<never> {
  return listener as unknown as GatewayListener<never>;
}
