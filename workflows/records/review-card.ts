// What the member sees: the review card for the current step, and the closing cards (summary, nothing found,
// expired, failed). Pure, so the workflow renders cards itself and an Update can return the next one.
import { ButtonStyle, DISCORD_LIMITS, button, buttonRow, type ActionButtonStyle, type CardMessage } from '../shared/discord-kit.js';
import { reviewCustomIds } from './custom-id.js';
import type { CardButton, RecordReview, ReviewStep } from './record-review.js';

/** The message body of an ephemeral card: Discord's message JSON (embeds and button rows). */
export type ReviewCard = CardMessage;

/** Facts about the source messages a card shows: who wrote them, and how many files they carry. */
export interface SourceFacts {
  guildId: string;
  channelId: string;
  authors: Record<string, string>;
  attachmentCounts: Record<string, number>;
}

export interface CardContext {
  workflowId: string;
  sources: SourceFacts;
  /** Which provider suggested the records; `offline` says so on every card. */
  provider: string;
  /** Only the target message could be read (the app lacks the Message Content intent): every card says so. */
  onlyTarget?: boolean;
}

const BUTTON_STYLE: Record<CardButton['action'], ActionButtonStyle> = {
  create: ButtonStyle.Success,
  edit: ButtonStyle.Primary,
  skip: ButtonStyle.Secondary,
  cancel: ButtonStyle.Danger,
};
const COLOR = { open: 0x5865f2, done: 0x57f287, closed: 0x99aab5 } as const;

export function renderStepCard(review: RecordReview, step: ReviewStep, context: CardContext): ReviewCard {
  const { sources } = context;
  const links = step.sourceMessageIds.map(
    (id) => `https://discord.com/channels/${sources.guildId}/${sources.channelId}/${id}`,
  );
  const attachments = step.sourceMessageIds.reduce((sum, id) => sum + (sources.attachmentCounts[id] ?? 0), 0);
  const footer = [
    context.provider === 'offline' ? 'Suggested by simple offline rules: no LLM is configured' : `Suggested by ${context.provider}`,
    ...(attachments ? [`${attachments} attachment${attachments === 1 ? '' : 's'} in the sources`] : []),
    ...(context.onlyTarget ? ['Only this message could be read: the Message Content intent is off for Steward'] : []),
  ].join(' · ');
  const key = { workflowId: context.workflowId, stepIndex: step.index };
  return {
    content: '',
    embeds: [
      {
        title: review.cardTitle(step).slice(0, DISCORD_LIMITS.title),
        description: step.description,
        color: COLOR.open,
        fields: [
          { name: 'Attributed to', value: sources.authors[step.authorId] ?? `<@${step.authorId}>`, inline: true },
          { name: 'Sources', value: links.join('\n').slice(0, DISCORD_LIMITS.fieldValue) || '—', inline: true },
        ],
        footer: { text: footer },
      },
    ],
    components: [
      buttonRow(
        review
          .buttons(step)
          .map(({ action, label }) => button(label, reviewCustomIds.encode(action, key), BUTTON_STYLE[action])),
      ),
    ],
  };
}

export function renderSummaryCard(review: RecordReview, recordsUrl?: string): ReviewCard {
  const created = review.state.steps.filter((step) => step.status === 'created');
  const lines = created.map((step) => {
    const title = review.cardTitle(step).replace(/^Item \d+ of \d+: /, '');
    return recordsUrl ? `[${title}](${recordsUrl.replace(/\/$/, '')}/${step.recordId})` : `${title}: ${step.description.slice(0, 80)}`;
  });
  return closingCard(review.state.cancelled ? 'Review cancelled' : 'Review finished', [review.summary(), ...lines].join('\n'), COLOR.done);
}

export function renderMessageCard(title: string, text: string): ReviewCard {
  return closingCard(title, text, COLOR.closed);
}

function closingCard(title: string, description: string, color: number): ReviewCard {
  return { content: '', embeds: [{ title, description: description.slice(0, DISCORD_LIMITS.description), color }], components: [] };
}
