// Record suggestion review: gather the conversation around a message, let an LLM suggest records, and step the
// member through them one card at a time. Clicks are Updates with validators, so a stale or repeated click is
// refused before it reaches history, and each record is written once (its id chosen here, its write idempotent).
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { findRecordType } from '../src/records/record-types.js';
import { RecordReview, type RecordEdits } from '../src/records/review.js';
import {
  renderMessageCard,
  renderStepCard,
  renderSummaryCard,
  type CardContext,
  type ReviewCard,
} from '../src/records/review-card.js';
import { findSubject } from '../src/records/subjects.js';
import {
  reviewClick,
  reviewSnapshot,
  type ReviewClick,
  type ReviewOutcome,
  type ReviewRequest,
  type ReviewSnapshot,
} from './review-messages.js';
import { FlowKind, GuildId } from './search-attributes.js';

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
/** Discord interaction tokens live 15 minutes; an ephemeral card can only be edited through one. */
const TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

const quick = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});
/**
 * A click's own work (the record write, queuing its announcement) runs as local activities: in the worker that
 * handles the Update, without a round trip through a task queue, so the next card comes back fast. They are as
 * durable (a dead worker's workflow task is retried elsewhere and runs them again; the write is idempotent).
 */
const records = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});
/** Queuing a record's announcement is one signal-with-start: a few quick tries, then the click goes on without it. */
const announcer = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});
/** A card edit is worth a few tries; Discord errors no retry can fix (unknown token) are non-retryable. */
const discord = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 8 },
});
/** Each provider gets a few tries for transient errors; invalid requests and malformed output move on at once. */
const llm = proxyActivities<Activities>({
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 3 },
});

export async function reviewRecordSuggestions(request: ReviewRequest): Promise<ReviewOutcome> {
  const { workflowId } = workflowInfo();
  const workflowKey = workflowId.replace(/^review:/, '');
  upsertSearchAttributes([
    { key: FlowKind, value: 'record-review' },
    { key: GuildId, value: request.guildId },
  ]);

  let phase: ReviewSnapshot['phase'] = 'analysing';
  let review: RecordReview | undefined;
  let cardContext: CardContext | undefined;
  let recordsUrl: string | undefined;
  let latestToken = { token: request.interactionToken, at: Date.now() };
  let lastClickAt = Date.now();
  const unannounced: string[] = [];

  setHandler(reviewSnapshot, () => ({ phase, reviewerId: request.reviewerId, current: currentForModal(review) }));
  setHandler(
    reviewClick,
    async (click: ReviewClick): Promise<ReviewCard> => {
      const active = review as RecordReview;
      latestToken = { token: click.interactionToken, at: Date.now() };
      lastClickAt = Date.now();
      if (click.action === 'create') {
        // The state changes before the write, so a second click arriving meanwhile is already stale.
        const step = active.create(click.stepIndex, toEdits(active, click.edited), uuid4());
        const created = await records.createReviewedRecord({
          idempotencyKey: `${workflowId}:${step.index}`,
          recordId: step.recordId as string,
          guildId: request.guildId,
          channelId: request.channelId,
          recordType: step.recordType,
          description: step.description,
          subjectId: step.subjectId,
          parentId: step.parentRecordId,
          authorId: step.authorId,
          authorName: cardContext?.sources.authors[step.authorId],
          sourceMessageIds: step.sourceMessageIds,
          createdBy: request.reviewerId,
          recordTypes: active.state.recordTypes,
        });
        // Announced by the main loop, off the click's path: the member waits only for the write.
        unannounced.push(created.recordId);
      } else if (click.action === 'skip') {
        active.skip(click.stepIndex);
      } else {
        active.cancel(click.stepIndex);
      }
      return nextCard(active);
    },
    {
      validator: (click: ReviewClick) => {
        if (phase !== 'reviewing' || !review) throw new Error('This review is not waiting for a decision.');
        if (click.userId !== request.reviewerId) throw new Error(`Only <@${request.reviewerId}> can act on this review.`);
        const verdict = review.validate({
          type: click.action,
          stepIndex: click.stepIndex,
          ...(click.action === 'create' && click.edited ? { edited: toEdits(review, click.edited) } : {}),
        } as Parameters<RecordReview['validate']>[0]);
        if (!verdict.ok) throw new Error(verdict.reason);
        if (click.edited?.subjectName && !subjectByName(review, click.edited.subjectName)) {
          throw new Error(`There is no subject called "${click.edited.subjectName}".`);
        }
      },
    },
  );

  const nextCard = (active: RecordReview): ReviewCard => {
    const step = active.current();
    return step && cardContext ? renderStepCard(active, step, cardContext) : renderSummaryCard(active, recordsUrl);
  };
  const show = (card: ReviewCard) =>
    discord.showReviewCard({ applicationId: request.applicationId, interactionToken: latestToken.token, card });
  const finish = async (outcome: ReviewOutcome): Promise<ReviewOutcome> => {
    phase = 'finished';
    await quick.finishReview({ workflowId, ...outcome });
    return outcome;
  };

  const opened = await quick.openReview({ workflowId, ...request, force: request.force ?? false });
  if (opened.status === 'already_processed') {
    await show(renderMessageCard('Already processed', opened.detail));
    phase = 'finished';
    return { status: 'already_processed' };
  }

  const conversation = await quick.gatherConversation(request);
  const catalogue = await quick.loadReviewCatalogue(request.guildId);
  recordsUrl = catalogue.recordsUrl;
  const analysis = await suggestWithFallback({
    guildId: request.guildId,
    workflowId,
    conversation: conversation.messages,
    targetId: request.messageId,
    recordTypes: catalogue.recordTypes,
    subjects: catalogue.subjects,
  });
  if (!analysis) {
    await show(renderMessageCard('Could not analyse the conversation', 'Every language model provider failed. Nothing was saved; please try again later.'));
    return finish({ status: 'failed' });
  }
  if (analysis.suggestions.length === 0) {
    const hint = 'Try a message that describes work done, a fault, or a part that is needed, or add context in a reply.';
    await show(renderMessageCard('No records found', `Nothing in this conversation looks like a record. ${hint}`));
    return finish({ status: 'nothing_found' });
  }

  review = RecordReview.start(analysis.suggestions, catalogue);
  cardContext = { workflowKey, sources: conversation.sources, provider: analysis.provider };
  phase = 'reviewing';
  await show(nextCard(review));

  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let expired = false;
  const announcePending = async () => {
    while (unannounced.length > 0) await announceRecord(request.guildId, unannounced.shift() as string);
  };
  while (!review.isFinished()) {
    await announcePending();
    const seenClick = lastClickAt;
    // Close before the newest token dies, or the card could not be told that the review expired.
    const waitMs = Math.min(lastClickAt + timeoutMs, latestToken.at + TOKEN_LIFETIME_MS) - Date.now();
    const clicked = await condition(
      () => lastClickAt !== seenClick || review!.isFinished() || unannounced.length > 0,
      Math.max(waitMs, 1),
    );
    if (!clicked && !review.isFinished()) {
      review.cancel();
      expired = true;
    }
  }
  await condition(allHandlersFinished);
  await announcePending();

  const counts = {
    created: review.state.steps.filter((step) => step.status === 'created').length,
    skipped: review.state.steps.filter((step) => step.status === 'skipped').length,
  };
  if (expired) {
    await show(renderMessageCard('Review expired', `Nobody answered for a while, so the review was closed. ${review.summary()}.`));
    return finish({ status: 'expired', ...counts });
  }
  return finish({ status: review.state.cancelled ? 'cancelled' : 'completed', ...counts });
}

/** The record is saved either way: an announcement that cannot be queued is logged, not turned into a failed click. */
async function announceRecord(guildId: string, recordId: string): Promise<void> {
  try {
    await announcer.announceRecord({ guildId, recordId });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    log.warn('A reviewed record could not be queued for announcement', { recordId, message: (cause as Error | undefined)?.message });
  }
}

type SuggestInput = Omit<Parameters<Activities['suggestRecords']>[0], 'provider'>;

/** One activity per provider, in the configured order: a provider that fails for good hands over to the next. */
async function suggestWithFallback(input: SuggestInput) {
  for (const provider of await quick.listSuggestionProviders()) {
    try {
      return await llm.suggestRecords({ ...input, provider });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      const type = cause instanceof ApplicationFailure ? cause.type : undefined;
      log.warn('Provider failed; trying the next one', { provider, type, message: (cause as Error | undefined)?.message });
    }
  }
  return undefined;
}

function subjectByName(review: RecordReview, name: string) {
  const wanted = name.trim().toLowerCase();
  return review.state.subjects.find((subject) => subject.name.toLowerCase() === wanted);
}

function toEdits(review: RecordReview, edited: ReviewClick['edited']): RecordEdits | undefined {
  if (!edited) return undefined;
  const subject = edited.subjectName ? subjectByName(review, edited.subjectName) : undefined;
  return {
    ...(edited.description === undefined ? {} : { description: edited.description }),
    ...(subject ? { subjectId: subject.id } : {}),
  };
}

function currentForModal(review: RecordReview | undefined): ReviewSnapshot['current'] {
  const step = review?.current();
  if (!review || !step) return undefined;
  const subject = step.subjectId ? findSubject(review.state.subjects, step.subjectId) : undefined;
  const needsSubject = findRecordType(review.state.recordTypes, step.recordType)?.requiresSubject ?? false;
  return { index: step.index, description: step.description, subjectName: subject?.name, needsSubject };
}
