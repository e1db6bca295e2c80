// Record suggestion review: claim the message, gather the conversation around it, let an LLM suggest records,
// step the member through them one card at a time, and close the review. The state and click handling live
// in ReviewSession; each record is written once (its id chosen here, its write idempotent).
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { FlowKind, GuildId } from '../shared/search-attributes.js';
import type { RecordsActivities } from '../../activities/records/index.js';
import { RecordReview } from './record-review.js';
import { renderMessageCard, type ReviewCard } from './review-card.js';
import type { ReviewOutcome, ReviewRequest } from './review-messages.js';
import { ReviewSession } from './review-session.js';
import { showDetails } from '../shared/details.js';

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

const quick = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});
/** A card edit is worth a few tries; Discord errors no retry can fix (unknown token) are non-retryable. */
const discord = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 8 },
});
/** The closing card after a failure: a couple of quick tries, as the review is over either way. */
const lastWord = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 2 },
});
/** Each provider gets a few tries for transient errors; invalid requests and malformed output move on at once. */
const llm = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '90 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 3 },
});

export async function reviewRecordSuggestions(request: ReviewRequest): Promise<ReviewOutcome> {
  const session = new ReviewSession(request, workflowInfo().workflowId);
  session.listen();
  // Runs started before FlowStarter tagged flows at start tagged themselves; replaying them must do so again.
  if (!patched('flow-tagged-at-start')) {
    upsertSearchAttributes([
      { key: FlowKind, value: 'record-review' },
      { key: GuildId, value: request.guildId },
    ]);
  }
  try {
    return await review(session);
  } catch (error) {
    if (isCancellation(error)) throw error;
    // Whatever stopped the review (Discord refusing to show the channel, a token gone stale), the member's card
    // is closed where it still can be, and the review row is closed, so the message can be reviewed again.
    log.warn('The review stopped', { message: (error as Error).message });
    session.phase = 'finished';
    showDetails(`Stopped: ${(error as Error).message}`);
    await showIfPossible(session, renderMessageCard('The review stopped', whyItStopped(error)));
    // The records created before it stopped are kept, so they are announced like any other.
    await session.announcePending();
    await quick.finishReview({ workflowId: session.workflowId, status: 'failed' });
    return { status: 'failed' };
  }
}

async function review(session: ReviewSession): Promise<ReviewOutcome> {
  const { request, workflowId } = session;
  const show = (card: ReviewCard) => session.showing(() => showCard(session, card));
  const finish = async (outcome: ReviewOutcome): Promise<ReviewOutcome> => {
    session.phase = 'finished';
    showDetails(`Finished: ${outcome.status.replace('_', ' ')}${'created' in outcome ? `, ${outcome.created} created and ${outcome.skipped} skipped` : ''}`);
    await quick.finishReview({ workflowId, ...outcome });
    return outcome;
  };

  const opened = await quick.openReview({ workflowId, ...request, force: request.force ?? false });
  if (opened.status === 'already_processed') {
    await show(renderMessageCard('Already processed', opened.detail));
    session.phase = 'finished';
    showDetails('Finished: the message was already reviewed');
    return { status: 'already_processed' };
  }

  const conversation = await quick.gatherConversation(request);
  const catalogue = await quick.loadReviewCatalogue(request.guildId);
  const analysis = await suggestWithFallback({
    conversation: conversation.messages,
    targetId: request.messageId,
    recordTypes: catalogue.recordTypes,
    subjects: catalogue.subjects,
  });
  // Runs started before this release recorded usage inside suggestRecords; `patched` keeps their replay intact.
  if (analysis && patched('suggestion-usage-recorded-apart')) {
    const { model, inputTokens, outputTokens, costUsd } = analysis.usage;
    await quick.recordSuggestionUsage({
      // One successful call per provider and run: a re-run of the review is billed as its own.
      id: `${workflowId}:${workflowInfo().runId}:${analysis.provider}`,
      guildId: request.guildId,
      flow: 'record-review',
      provider: analysis.provider,
      model,
      usage: { inputTokens, outputTokens },
      costUsd,
    });
  }
  if (!analysis) {
    await show(renderMessageCard('Could not analyse the conversation', 'Every language model provider failed. Nothing was saved; please try again later.'));
    return finish({ status: 'failed' });
  }
  if (analysis.suggestions.length === 0) {
    const hint = 'Try a message that describes work done, a fault, or a part that is needed, or add context in a reply.';
    await show(renderMessageCard('No records found', `Nothing in this conversation looks like a record. ${hint}`));
    return finish({ status: 'nothing_found' });
  }

  await show(
    session.begin({
      review: RecordReview.start(analysis.suggestions, catalogue),
      cardContext: { workflowId, sources: conversation.sources, provider: analysis.provider, onlyTarget: conversation.onlyTarget },
      recordsUrl: catalogue.recordsUrl,
    }),
  );
  await session.stepThrough(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  await condition(allHandlersFinished);
  // The last click's write can fail after the loop saw every step taken: its step is open again and the member
  // was told to try again, so the review waits for that click instead of closing with the item unsaved.
  // (`patched`: runs from before this release went on to the summary here.)
  while (!session.review.isFinished() && patched('reopened-last-step-awaits-its-click')) {
    await session.stepThrough(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await condition(allHandlersFinished);
  }
  await session.announcePending();

  const counts = session.counts();
  if (session.expired) {
    await show(renderMessageCard('Review expired', `Nobody answered for a while, so the review was closed. ${session.review.summary()}.`));
    return finish({ status: 'expired', ...counts });
  }
  return finish({ status: session.review.state.cancelled ? 'cancelled' : 'completed', ...counts });
}

/** Shows a card through the newest interaction token, but never through one Discord has already retired. */
async function showCard(session: ReviewSession, card: ReviewCard): Promise<void> {
  if (!session.tokenIsFresh()) throw ApplicationFailure.nonRetryable('The interaction token has expired', 'TokenExpired');
  await discord.showReviewCard({ applicationId: session.request.applicationId, interactionToken: session.interactionToken, card });
}

/**
 * The closing card of a failed review is worth one try; a token Discord no longer takes is no reason to fail. Past
 * the token's 15 minutes (Steward was out of reach that long) the member is told by DM instead of never.
 */
async function showIfPossible(session: ReviewSession, card: ReviewCard): Promise<void> {
  try {
    if (!session.tokenIsFresh()) {
      if (patched('stale-review-told-by-dm')) {
        await lastWord.tellReviewerByDm({
          reviewerId: session.request.reviewerId,
          workflowId: session.workflowId,
          content: `Your review of a message in <#${session.request.channelId}> stopped: Steward could not answer within Discord's 15 minutes. Records created before were kept; run **Add to records** on the message again for the rest.`,
        });
      }
      return;
    }
    const { applicationId } = session.request;
    await lastWord.showReviewCard({ applicationId, interactionToken: session.interactionToken, card });
  } catch (error) {
    log.warn('The closing card could not be shown', { message: (error as Error).message });
  }
}

/** What the member reads when Discord refused what the review needed, by Discord's error code. */
function whyItStopped(error: unknown): string {
  const code = discordErrorCode(error);
  if (code === MISSING_ACCESS || code === MISSING_PERMISSIONS) {
    return 'Steward cannot read this conversation: it needs View Channel and Read Message History here (in a private thread, it must be added to the thread). Nothing was saved.';
  }
  if (code === UNKNOWN_CHANNEL || code === UNKNOWN_MESSAGE) return 'The message or its channel is gone. Nothing more was saved.';
  return 'Something went wrong while reviewing this message. Records created before this were kept; please try again.';
}

const MISSING_ACCESS = 50001;
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MESSAGE = 10008;

function discordErrorCode(error: unknown): number | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'DiscordRefused') return undefined;
  return (cause.details?.[0] as { code?: number } | undefined)?.code;
}

type SuggestInput = Omit<Parameters<RecordsActivities['suggestRecords']>[0], 'provider'>;

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
