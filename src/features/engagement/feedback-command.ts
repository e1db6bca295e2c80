// /feedback and the quick feedback of 👍/👎 on Steward's own posts. The command answers at once with an ephemeral
// receipt carrying the tracking id (derived from the interaction, so it is known before anything is stored), then
// starts the feedback's workflow, whose id is the interaction's: a redelivered command is the same feedback.
import { createHash } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type APIChatInputApplicationCommandInteraction,
  type GatewayMessageReactionAddDispatchData,
} from 'discord-api-types/v10';
import { collectFeedback } from '../../../workflows/engagement/feedback-workflow.js';
import { FEEDBACK_LENGTH, SENTIMENTS, feedbackWorkflowId, type FeedbackInput, type Sentiment } from '../../../workflows/engagement/messages.js';
import { gatewayListener, type Command } from '../../discord/handlers.js';
import { CommandOptions } from '../../discord/options.js';
import { ephemeralMessage } from '../../discord/responder.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import { engagementSettings } from './settings.js';

/** FB- and ten letters or digits, the same for every delivery of the same feedback. */
export function trackingIdFor(feedbackId: string): string {
  const digest = createHash('sha256').update(feedbackId).digest();
  return `FB-${digest.readBigUInt64BE(0).toString(36).toUpperCase().padStart(10, '0').slice(0, 10)}`;
}

export const feedbackCommand: Command<APIChatInputApplicationCommandInteraction> = {
  data: {
    name: 'feedback',
    description: 'Tell the programme team how it is going (reviewed before it is shared, where the server asks)',
    contexts: [0],
    options: [
      { type: ApplicationCommandOptionType.String, name: 'message', description: 'Your feedback', required: true, min_length: FEEDBACK_LENGTH.min, max_length: FEEDBACK_LENGTH.max },
      { type: ApplicationCommandOptionType.String, name: 'sentiment', description: 'How you feel about it', choices: SENTIMENTS.map((name) => ({ name, value: name })) },
    ],
  },
  async execute(interaction, respond, { flows, logger }) {
    const guildId = interaction.guild_id;
    const member = interaction.member;
    if (!guildId || !member) return respond.acknowledge(ephemeralMessage('Feedback is given in a server.'));
    const options = new CommandOptions(interaction);
    const text = options.string('message')?.trim() ?? '';
    if (text.length < FEEDBACK_LENGTH.min || text.length > FEEDBACK_LENGTH.max) {
      return respond.acknowledge(ephemeralMessage(`Feedback is ${FEEDBACK_LENGTH.min} to ${FEEDBACK_LENGTH.max} characters; yours has ${text.length}.`));
    }
    const sentiment = options.string('sentiment');
    if (sentiment !== undefined && !(SENTIMENTS as readonly string[]).includes(sentiment)) return respond.acknowledge(ephemeralMessage('Choose positive, neutral or negative.'));
    const feedbackId = `${guildId}:${interaction.id}`;
    const feedback: FeedbackInput = {
      guildId,
      feedbackId,
      trackingId: trackingIdFor(feedbackId),
      userId: member.user.id,
      kind: 'command',
      text,
      sentiment: (sentiment as Sentiment | undefined) ?? null,
      channelId: interaction.channel?.id ?? null,
    };
    await respond.acknowledge(ephemeralMessage(`Thank you! Your feedback is in. Tracking id: **${feedback.trackingId}**.`));
    try {
      await startFeedback(flows, feedback);
    } catch (error) {
      logger.error({ err: error, feedbackId }, 'Could not start the feedback workflow');
      await respond.editOriginal({ content: 'Your feedback could not be saved just now. Please send it again in a minute.' });
    }
  },
};

function startFeedback(flows: FlowStarter, feedback: FeedbackInput) {
  return flows.start(collectFeedback, {
    workflowId: feedbackWorkflowId(feedback.feedbackId),
    args: [feedback],
    kind: 'feedback',
    guildId: feedback.guildId,
    summary: `Feedback from member ${feedback.userId} (${feedback.kind === 'command' ? '/feedback' : feedback.sentiment ? `a ${feedback.sentiment} reaction` : 'a reaction'}), ${feedback.trackingId}`,
    memberIds: [feedback.userId],
    idReusePolicy: 'REJECT_DUPLICATE',
  });
}

const QUICK_SIGNS: Readonly<Record<string, Sentiment>> = { '👍': 'positive', '👎': 'negative' };

/** 👍/👎 by a member on one of Steward's own messages: one quick feedback per member, message and sign. */
export const quickFeedback = gatewayListener<GatewayMessageReactionAddDispatchData>({
  event: GatewayDispatchEvents.MessageReactionAdd,
  intents: GatewayIntentBits.GuildMessageReactions,
  async handle(reaction, { flows, database, botUserId }) {
    const sentiment = reaction.emoji.name ? QUICK_SIGNS[reaction.emoji.name] : undefined;
    if (!sentiment || !reaction.guild_id || reaction.message_author_id !== botUserId || reaction.user_id === botUserId || reaction.member?.user?.bot) return;
    if (!(await engagementSettings(database.fork(), reaction.guild_id)).reactionFeedback) return;
    const feedbackId = `${reaction.guild_id}:r-${reaction.message_id}-${reaction.user_id}-${sentiment === 'positive' ? 'up' : 'down'}`;
    await startFeedback(flows, {
      guildId: reaction.guild_id,
      feedbackId,
      trackingId: trackingIdFor(feedbackId),
      userId: reaction.user_id,
      kind: 'reaction',
      text: `${reaction.emoji.name} on https://discord.com/channels/${reaction.guild_id}/${reaction.channel_id}/${reaction.message_id}`,
      sentiment,
      channelId: reaction.channel_id,
    });
  },
});
