// A command is data plus a handler; a component handler decodes its custom_id target and acts on clicks and
// modal submissions. Handlers get the raw interaction payload and a responder, so the gateway and the HTTP
// endpoint share them.
import type { Client } from '@temporalio/client';
import type {
  APIApplicationCommandInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Logger } from '../../observability/logger.js';
import type { ComponentTarget } from '../custom-id.js';
import type { InteractionResponder } from '../responder.js';

export interface AdapterContext {
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

export interface Command<Interaction extends APIApplicationCommandInteraction = APIApplicationCommandInteraction> {
  data: RESTPostAPIApplicationCommandsJSONBody;
  execute(interaction: Interaction, respond: InteractionResponder, context: AdapterContext): Promise<void>;
}

export interface ComponentHandler {
  /** The `flow` part of the custom_ids this handler owns. */
  flow: string;
  run(
    interaction: APIMessageComponentInteraction | APIModalSubmitInteraction,
    target: ComponentTarget,
    respond: InteractionResponder,
    context: AdapterContext,
  ): Promise<void>;
}
