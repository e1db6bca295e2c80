// Routes an interaction to its handler. Anything unknown or stale gets a short ephemeral answer; any failure
// gets one too, with a reference id that appears in the logs. Nothing here throws. A deferred handler that meets
// an outage of the database or Temporal is run again until it passes (handlers are idempotent: ids from the
// interaction), within the interaction's 15 minutes, through one gate for the process (outage-gate.ts).
import { randomBytes } from 'node:crypto';
import { InteractionResponseType, InteractionType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { decodeCustomId } from '../../workflows/shared/custom-id.js';
import { ephemeralMessage, type InteractionResponder } from './responder.js';
import type { AdapterContext, Command, ComponentHandler } from './handlers.js';
import { dependencyOutage, outageWords } from '../outage.js';
import { OutageGate } from './outage-gate.js';
import { inSpan } from '../observability/tracing.js';
import { SpanKind, type Attributes } from '@opentelemetry/api';

export type InteractionDispatcher = (interaction: APIInteraction, respond: InteractionResponder) => Promise<void>;

export interface DispatcherOptions {
  commands: readonly Command<never>[];
  components: readonly ComponentHandler[];
  context: AdapterContext;
  /** How long a deferred interaction waits out an outage before the member is told (default 2 minutes). */
  outagePatienceMs?: number;
  /** Interactions run again at once while an outage ends (default 4). */
  concurrentReruns?: number;
}

/** Between re-runs while a dependency is out: 1 s, doubling with each failure up to 15 s, shared by all. */
const OUTAGE_PAUSE_MS = { first: 1_000, longest: 15_000 };

export function createDispatcher({ commands, components, context, outagePatienceMs = 120_000, concurrentReruns = 4 }: DispatcherOptions): InteractionDispatcher {
  const gate = new OutageGate({ firstPauseMs: OUTAGE_PAUSE_MS.first, longestPauseMs: OUTAGE_PAUSE_MS.longest, concurrentReruns });
  const commandsByName = new Map(commands.map((command) => [command.data.name, command]));
  const componentsByFlow = new Map(components.map((handler) => [handler.flow, handler]));

  async function route(interaction: APIInteraction, respond: InteractionResponder): Promise<void> {
    switch (interaction.type) {
      case InteractionType.Ping:
        return respond.acknowledge({ type: InteractionResponseType.Pong });
      case InteractionType.ApplicationCommand: {
        const command = commandsByName.get(interaction.data.name);
        if (!command || (command.data.type ?? 1) !== interaction.data.type) {
          return respond.acknowledge(ephemeralMessage('This command is not available any more.'));
        }
        return command.execute(interaction as never, respond, context);
      }
      case InteractionType.MessageComponent:
      case InteractionType.ModalSubmit: {
        const target = decodeCustomId(interaction.data.custom_id);
        const handler = target && componentsByFlow.get(target.flow);
        const parsed = target && handler?.parse(target);
        if (!handler || parsed === undefined) return respond.acknowledge(ephemeralMessage('This button has expired.'));
        return handler.run(interaction, parsed, respond, context);
      }
      default:
        return respond.acknowledge(ephemeralMessage('Steward cannot handle this interaction.'));
    }
  }

  return (interaction, respond) => {
    const { name, attributes } = spanOf(interaction);
    // The root of a click's trace: the workflow start or update below carries it on to the worker.
    return inSpan(name, attributes, async () => {
      const startedAt = performance.now();
      await handle(interaction, respond);
      context.logger.debug({ interactionId: interaction.id, ms: Math.round(performance.now() - startedAt) }, `Handled ${name}`);
    }, SpanKind.SERVER);
  };

  async function handle(interaction: APIInteraction, respond: InteractionResponder): Promise<void> {
    let acknowledged = false;
    const tracked: InteractionResponder = {
      ...respond,
      acknowledge: async (response) => {
        // A handler run again after an outage defers again: the first acknowledgement stands.
        if (acknowledged) return;
        try {
          await respond.acknowledge(response);
        } catch (error) {
          if (isAlreadyAcknowledged(error)) throw new DeliveredTwice();
          throw error;
        }
        acknowledged = true;
      },
    };
    const giveUpAt = Date.now() + outagePatienceMs;
    const run = () => route(interaction, tracked);
    for (let attempt = 1; ; attempt++) {
      try {
        await (attempt === 1 ? run() : gate.rerun(run));
        gate.succeeded();
        return;
      } catch (error) {
        if (error instanceof DeliveredTwice) {
          // The gateway replayed the interaction (or Discord retried its delivery): the first delivery answers it.
          context.logger.info({ interactionId: interaction.id }, 'Interaction delivered twice; the first delivery answers it');
          return;
        }
        const outage = dependencyOutage(error);
        if (outage && acknowledged) {
          gate.failed();
          if (gate.opensAt < giveUpAt) {
            context.logger.warn({ err: error, interactionId: interaction.id, outage, attempt, retryInMs: gate.opensAt - Date.now() }, 'A dependency is out; the interaction waits and runs again');
            continue;
          }
        }
        await report(error, outage);
        return;
      }
    }

    async function report(error: unknown, outage: ReturnType<typeof dependencyOutage>): Promise<void> {
      const reference = randomBytes(4).toString('hex');
      context.logger.error({ err: error, reference, interactionId: interaction.id, ...(outage ? { outage } : {}) }, 'Interaction handler failed');
      const content = outage ? `${outageWords(outage)} Reference: \`${reference}\`` : `Something went wrong. Reference: \`${reference}\``;
      try {
        if (acknowledged) await respond.followUp({ content, flags: MessageFlags.Ephemeral });
        else await respond.acknowledge(ephemeralMessage(content));
      } catch (reportError) {
        context.logger.warn({ err: reportError, reference }, 'Could not tell the member about the failure');
      }
    }
  }
}

/** A span name of few values (the command, or the flow a component belongs to) and the interaction's ids. */
function spanOf(interaction: APIInteraction): { name: string; attributes: Attributes } {
  const user = interaction.member?.user ?? interaction.user;
  const attributes: Attributes = {
    'discord.interaction.id': interaction.id,
    'discord.interaction.type': interaction.type,
    ...(interaction.guild_id ? { 'discord.guild.id': interaction.guild_id } : {}),
    ...(user ? { 'discord.user.id': user.id } : {}),
  };
  switch (interaction.type) {
    case InteractionType.ApplicationCommand:
      return { name: `interaction command ${interaction.data.name}`, attributes: { ...attributes, 'discord.command.name': interaction.data.name } };
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit: {
      const flow = decodeCustomId(interaction.data.custom_id)?.flow ?? 'unknown';
      return { name: `interaction component ${flow}`, attributes: { ...attributes, 'discord.component.flow': flow } };
    }
    default:
      return { name: `interaction type ${interaction.type}`, attributes };
  }
}

/** A second acknowledgement of the same interaction, which Discord refuses with 40060. */
class DeliveredTwice extends Error {}

const ALREADY_ACKNOWLEDGED = 40060;

function isAlreadyAcknowledged(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === ALREADY_ACKNOWLEDGED;
}
