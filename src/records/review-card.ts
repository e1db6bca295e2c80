// What the member sees: the review card for the current step, and the closing cards (summary, nothing found,
// expired, failed). Pure, so the workflow renders cards itself and an Update can return the next one.
import type { RecordReview, ReviewStep } from './review.js';

/** The message body of an ephemeral card: Discord's message JSON (embeds and button rows). */
export interface ReviewCard {
  content: string;
  embeds: CardEmbed[];
  components: ButtonRow[];
}

interface CardEmbed {
  title: string;
  description: string;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  color?: number;
}

interface ButtonRow {
  type: 1;
  components: { type: 2; style: 1 | 2 | 3 | 4; label: string; custom_id: string }[];
}

/** Facts about the source messages a card shows: who wrote them, and how many files they carry. */
export interface SourceFacts {
  guildId: string;
  channelId: string;
  authors: Record<string, string>;
  attachmentCounts: Record<string, number>;
}

export interface CardContext {
  workflowKey: string;
  sources: SourceFacts;
  /** Which provider suggested the records; `offline` says so on every card. */
  provider: string;
}

const BUTTON_STYLE = { create: 3, edit: 1, skip: 2, cancel: 4 } as const;
const COLOR = { open: 0x5865f2, done: 0x57f287, closed: 0x99aab5 } as const;

/** `review:<action>:<workflow key>:<step>`: the adapter turns a click into an Update on that workflow. */
export function reviewCustomId(action: string, workflowKey: string, stepIndex: number): string {
  return `review:${action}:${workflowKey}:${stepIndex}`;
}

export function renderStepCard(review: RecordReview, step: ReviewStep, context: CardContext): ReviewCard {
  const { sources } = context;
  const links = step.sourceMessageIds.map(
    (id) => `https://discord.com/channels/${sources.guildId}/${sources.channelId}/${id}`,
  );
  const attachments = step.sourceMessageIds.reduce((sum, id) => sum + (sources.attachmentCounts[id] ?? 0), 0);
  const footer = [
    context.provider === 'offline' ? 'Suggested by simple offline rules: no LLM is configured' : `Suggested by ${context.provider}`,
    ...(attachments ? [`${attachments} attachment${attachments === 1 ? '' : 's'} in the sources`] : []),
  ].join(' · ');
  return {
    content: '',
    embeds: [
      {
        title: review.cardTitle(step).slice(0, 256),
        description: step.description,
        color: COLOR.open,
        fields: [
          { name: 'Attributed to', value: sources.authors[step.authorId] ?? `<@${step.authorId}>`, inline: true },
          { name: 'Sources', value: links.join('\n').slice(0, 1024) || '—', inline: true },
        ],
        footer: { text: footer },
      },
    ],
    components: [
      {
        type: 1,
        components: review.buttons(step).map((button) => ({
          type: 2,
          style: BUTTON_STYLE[button.action],
          label: button.label,
          custom_id: reviewCustomId(button.action, context.workflowKey, step.index),
        })),
      },
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
  return { content: '', embeds: [{ title, description: description.slice(0, 4096), color }], components: [] };
}
