// Answers given without a button: a reaction on the card (✅ going, ❔ maybe, ❌ can't go; taking it back withdraws
// the answer), and "Interested" on the event's mirror in Discord's Events tab (a Maybe). Each finds its event by
// the card's or the scheduled event's id and signals it; reactions elsewhere cost one indexed lookup.
import {
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayGuildScheduledEventUserAddDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
} from 'discord-api-types/v10';
import { REACTION_ANSWERS, answerBySign, eventWorkflowId } from '../../../workflows/events/messages.js';
import { gatewayListener, type ListenerContext } from '../../discord/handlers.js';
import { eventByCard, eventByScheduledEvent } from './store/events.js';

type Reaction = GatewayMessageReactionAddDispatchData | GatewayMessageReactionRemoveDispatchData;

async function onReaction(reaction: Reaction, added: boolean, { database, temporal, botUserId }: ListenerContext): Promise<void> {
  const answer = reaction.emoji.name ? REACTION_ANSWERS[reaction.emoji.name] : undefined;
  if (!answer || !reaction.guild_id || reaction.user_id === botUserId) return;
  const event = await eventByCard(database.fork(), reaction.message_id);
  if (!event) return;
  await temporal.workflow
    .getHandle(eventWorkflowId(event.guildId, event.eventId))
    .signal(answerBySign, { userId: reaction.user_id, answer: added ? answer : null, via: 'reaction' });
}

export const reactionAnswers = [
  gatewayListener<GatewayMessageReactionAddDispatchData>({
    event: GatewayDispatchEvents.MessageReactionAdd,
    intents: GatewayIntentBits.GuildMessageReactions,
    handle: (reaction, context) => onReaction(reaction, true, context),
  }),
  gatewayListener<GatewayMessageReactionRemoveDispatchData>({
    event: GatewayDispatchEvents.MessageReactionRemove,
    intents: GatewayIntentBits.GuildMessageReactions,
    handle: (reaction, context) => onReaction(reaction, false, context),
  }),
];

export const interestedAnswers = gatewayListener<GatewayGuildScheduledEventUserAddDispatchData>({
  event: GatewayDispatchEvents.GuildScheduledEventUserAdd,
  intents: GatewayIntentBits.GuildScheduledEvents,
  async handle(interest, { database, temporal }) {
    const event = await eventByScheduledEvent(database.fork(), interest.guild_scheduled_event_id);
    if (!event) return;
    await temporal.workflow.getHandle(eventWorkflowId(event.guildId, event.eventId)).signal(answerBySign, { userId: interest.user_id, answer: 'maybe', via: 'scheduled-event' });
  },
});
