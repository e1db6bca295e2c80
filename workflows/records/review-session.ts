// The running review's state and its click handling, kept out of the workflow function so that reads as the
// flow's story. Clicks are Updates with validators: a stale or repeated click is refused before it reaches
// history, and a Create applies to the state before its record is written, so a click arriving during the
// write is already stale (the pattern of temporalio/samples-typescript message-passing/safe-message-handlers).
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { RecordsActivities } from '../../activities/records/index.js';
import type { RecordReview} from './record-review.js';
import { type RecordEdits } from './record-review.js';
import { renderStepCard, renderSummaryCard, type CardContext, type ReviewCard } from './review-card.js';
import {
  RECORD_REFUSED,
  REVIEW_REFUSAL,
  reviewClick,
  reviewReplies,
  reviewSnapshot,
  type ReviewClick,
  type ReviewRequest,
  type ReviewSnapshot,
} from './review-messages.js';
import { clock, showDetails } from '../shared/details.js';

/** Discord interaction tokens live 15 minutes; an ephemeral card can only be edited through one. */
const TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;

/**
 * A click's own work, the record write, runs as a local activity: in the worker that handles the Update, without a
 * round trip through a task queue, so the next card comes back fast. It is as durable (a dead worker's workflow task
 * is retried elsewhere and runs it again; the write is idempotent).
 */
const records = proxyLocalActivities<RecordsActivities>({
  startToCloseTimeout: '10 seconds',
  // Bounded, as the member waits on the click: past these the step is reopened and the member told.
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});
/**
 * A review hands its records to their announcement in one activity, when the member pauses or the review ends:
 * never on a click's path (a local activity would hold the click's workflow task, and its reply, open), and with
 * one task-queue round trip per review rather than per record. Announcements wait out a quiet period of minutes
 * anyway, so this moves them by seconds. A few quick tries, then the review goes on without them.
 */
const announcer = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});
/** Runs started before announcements were batched queue each record as a local activity on replay. */
const localAnnouncer = proxyLocalActivities<RecordsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
});
/** How long a member's pause must last before the records they created so far are announced (at most half the review's timeout). */
const ANNOUNCE_AFTER_PAUSE_MS = 30_000;
const ANNOUNCEMENTS_BATCHED = 'announcements-batched-off-the-click-path';
const CLICKS_AFTER_SHOWN_CARDS = 'clicks-wait-for-a-card-being-shown';

export interface StartedReview {
  review: RecordReview;
  cardContext: CardContext;
  recordsUrl?: string;
}

export class ReviewSession {
  phase: ReviewSnapshot['phase'] = 'analysing';
  #started?: StartedReview;
  /** The newest interaction token and when it arrived: cards are edited through it. */
  #latestToken: { token: string; at: number };
  #lastClickAt = Date.now();
  /** Records created by clicks and not yet handed to their announcement. */
  readonly #unannounced: string[] = [];
  #expired = false;
  /** Cards the workflow itself is putting on Discord (an activity's edit), as opposed to a click's card. */
  #cardsBeingShown = 0;

  constructor(
    readonly request: ReviewRequest,
    readonly workflowId: string,
  ) {
    this.#latestToken = { token: request.interactionToken, at: Date.now() };
  }

  /** Answers the snapshot query and the card clicks from the first moment, as early clicks may come. */
  listen(): void {
    showDetails(`Reading the message and asking the model for suggestions for ${this.request.reviewerName}`);
    setHandler(reviewSnapshot, () => ({ phase: this.phase, reviewerId: this.request.reviewerId }));
    setHandler(reviewClick, (click) => this.#handleClick(click), { validator: (click) => this.#validateClick(click) });
  }

  /** The token to show the next card through. */
  get interactionToken(): string {
    return this.#latestToken.token;
  }

  /** Discord retires an interaction token 15 minutes after the interaction: past that no card can be edited. */
  tokenIsFresh(): boolean {
    return Date.now() - this.#latestToken.at < TOKEN_LIFETIME_MS;
  }

  /**
   * Shows a card from the workflow. A click's card goes out from the adapter when its Update completes, so a click
   * answered while this edit is still in flight (retried after its worker died, the first card already on
   * Discord) would be overwritten by it: #handleClick waits for it instead.
   */
  async showing(show: () => Promise<void>): Promise<void> {
    this.#cardsBeingShown++;
    try {
      await show();
    } finally {
      this.#cardsBeingShown--;
    }
  }

  begin(started: StartedReview): ReviewCard {
    this.#started = started;
    this.phase = 'reviewing';
    return this.#nextCard();
  }

  /**
   * Waits for the member to work through the cards, announcing the records created so far when they pause; closes
   * the review when nobody clicks for `timeoutMs`, or before the newest token dies (after that the card could not be
   * told the review expired).
   */
  async stepThrough(timeoutMs: number): Promise<void> {
    const review = this.review;
    const batched = patched(ANNOUNCEMENTS_BATCHED);
    while (!review.isFinished()) {
      if (!batched) await this.announcePending();
      this.#showProgress();
      const seenClick = this.#lastClickAt;
      // A Create's record arrives after its click (once written): its arrival starts the pause before announcing.
      const seenUnannounced = this.#unannounced.length;
      const expiresAt = Math.min(this.#lastClickAt + timeoutMs, this.#latestToken.at + TOKEN_LIFETIME_MS);
      const pauseMs = Math.min(ANNOUNCE_AFTER_PAUSE_MS, timeoutMs / 2);
      const announceAt = batched && this.#unannounced.length > 0 ? this.#lastClickAt + pauseMs : Infinity;
      const clicked = await condition(
        () => this.#lastClickAt !== seenClick || review.isFinished() || this.#unannounced.length !== seenUnannounced,
        Math.max(Math.min(expiresAt, announceAt) - Date.now(), 1),
      );
      if (clicked || review.isFinished()) continue;
      if (announceAt < expiresAt) {
        await this.announcePending();
        continue;
      }
      review.cancel();
      this.#expired = true;
    }
  }

  /** "Step 2 of 3, waiting for alice since 14:02 UTC". */
  #showProgress(): void {
    const { steps } = this.review.state;
    const current = this.review.current();
    const position = current ? steps.indexOf(current) + 1 : steps.length;
    const done = steps.filter((step) => step.status !== 'pending').length;
    showDetails(`Step ${position} of ${steps.length}, waiting for ${this.request.reviewerName} since ${clock(this.#lastClickAt, Date.now())}`, `${done} of ${steps.length} decided`);
  }

  get expired(): boolean {
    return this.#expired;
  }

  get review(): RecordReview {
    if (!this.#started) throw new Error('The review has not begun.');
    return this.#started.review;
  }

  counts(): { created: number; skipped: number } {
    const steps = this.review.state.steps;
    return {
      created: steps.filter((step) => step.status === 'created').length,
      skipped: steps.filter((step) => step.status === 'skipped').length,
    };
  }

  /** The record is saved either way: an announcement that cannot be queued is logged, not turned into a failed click. */
  async announcePending(): Promise<void> {
    if (this.#unannounced.length === 0) return;
    if (!patched(ANNOUNCEMENTS_BATCHED)) return this.#announceOneByOne();
    const recordIds = this.#unannounced.splice(0);
    try {
      await announcer.announceRecords({ guildId: this.request.guildId, recordIds });
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      log.warn('Reviewed records could not be queued for announcement', { recordIds, message: (cause as Error | undefined)?.message });
    }
  }

  async #announceOneByOne(): Promise<void> {
    while (this.#unannounced.length > 0) {
      const recordId = this.#unannounced.shift() as string;
      try {
        await localAnnouncer.announceRecord({ guildId: this.request.guildId, recordId });
      } catch (error) {
        const cause = error instanceof ActivityFailure ? error.cause : error;
        log.warn('A reviewed record could not be queued for announcement', { recordId, message: (cause as Error | undefined)?.message });
      }
    }
  }

  #validateClick(click: ReviewClick): void {
    if (click.userId !== this.request.reviewerId) throw refusal(reviewReplies.notYours(this.request.reviewerId));
    const review = this.#started?.review;
    if (this.phase === 'finished') throw refusal(reviewReplies.over);
    if (this.phase !== 'reviewing' || !review) throw refusal(reviewReplies.notReady);
    const verdict = review.validate({
      type: click.action,
      stepIndex: click.stepIndex,
      ...(click.action === 'create' && click.edited ? { edited: toEdits(review, click.edited) } : {}),
    } as Parameters<RecordReview['validate']>[0]);
    if (!verdict.ok) throw refusal(verdict.reason);
    if (click.edited?.subjectName && !subjectByName(review, click.edited.subjectName)) {
      throw refusal(`There is no subject called "${click.edited.subjectName}".`);
    }
  }

  async #handleClick(click: ReviewClick): Promise<ReviewCard> {
    // Runs from before this release answered at once (`patched` only where a card was in flight, as it changes nothing otherwise).
    if (this.#cardsBeingShown > 0 && patched(CLICKS_AFTER_SHOWN_CARDS)) {
      await condition(() => this.#cardsBeingShown === 0);
      // Another click may have been taken meanwhile.
      this.#validateClick(click);
    }
    const review = this.review;
    this.#latestToken = { token: click.interactionToken, at: Date.now() };
    this.#lastClickAt = Date.now();
    if (click.action === 'create') await this.#create(review, click);
    else if (click.action === 'skip') review.skip(click.stepIndex);
    else review.cancel(click.stepIndex);
    return this.#nextCard();
  }

  async #create(review: RecordReview, click: ReviewClick): Promise<void> {
    const { request, workflowId } = this;
    const { runId } = workflowInfo();
    // The state changes before the write, so a second click arriving meanwhile is already stale.
    const step = review.create(click.stepIndex, toEdits(review, click.edited), uuid4());
    const write = records.createReviewedRecord({
      // Each run is its own review: an admin's re-run of a message writes its own records.
      idempotencyKey: `${workflowId}:${runId}:${step.index}`,
      recordId: step.recordId as string,
      guildId: request.guildId,
      channelId: request.channelId,
      recordType: step.recordType,
      description: step.description,
      subjectId: step.subjectId,
      parentId: step.parentRecordId,
      authorId: step.authorId,
      authorName: this.#started?.cardContext.sources.authors[step.authorId],
      sourceMessageIds: step.sourceMessageIds,
      createdBy: request.reviewerId,
      recordTypes: review.state.recordTypes,
    });
    let created: { recordId: string };
    try {
      created = await write;
    } catch (error) {
      // Nothing was saved: the card is live again, and the member reads why.
      review.reopen(step.index);
      const cause = error instanceof ActivityFailure ? error.cause : error;
      const reason = cause instanceof ApplicationFailure && cause.type === RECORD_REFUSED ? cause.message : undefined;
      throw refusal(reviewReplies.notSaved(step.index + 1, reason));
    }
    review.recordStored(step.index, created.recordId);
    // Announced when the member pauses or the review ends, off the click's path: the member waits only for the write.
    this.#unannounced.push(created.recordId);
  }

  #nextCard(): ReviewCard {
    const { review, cardContext, recordsUrl } = this.#started as StartedReview;
    const step = review.current();
    return step ? renderStepCard(review, step, cardContext) : renderSummaryCard(review, recordsUrl);
  }

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

/** A click the review will not take, with the sentence the member reads. */
function refusal(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REVIEW_REFUSAL, message, nonRetryable: true });
}
