// Record review under chaos: a member right-clicks a message, the LLM suggests two records, the member clicks
// Create on both. Expected: "Review finished" and exactly two records from that message; or, when the LLM was
// down for longer than its retries, the card saying so and no record at all.
import { randomUUID } from 'node:crypto';
import { readSuggestionRequest, type PromptText } from '../../../activities/records/offline-suggester.js';
import { buttonOf, count, emptyTally, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

const COMMAND = 'Add to records';
const SUGGESTIONS = 2;
/** A member who sees no change for this long clicks again, as people do. */
const RECLICK_AFTER_MS = 45_000;
const CARD_WAIT_MS = 240_000;
/** Closing cards that tell the member the review could not go on. */
const TOLD = /^(Could not analyse the conversation|The review stopped)$/;

interface ReviewRun {
  memberId: string;
  messageId: string;
  outcome?: string;
  reclicks: number;
}

/** The LLM's answer to a suggestion request: SUGGESTIONS log entries citing the message under review. */
export function suggestionsFor(body: unknown): { suggestions: unknown[] } | undefined {
  const request = readSuggestionRequest(body as PromptText);
  const target = request?.conversation.find((message) => message.id === request.targetId);
  if (!request || !target) return undefined;
  return {
    suggestions: Array.from({ length: SUGGESTIONS }, (_, index) => ({
      record_type: 'log_entry',
      description: `Finding ${index + 1}: ${target.content}`,
      source_message_ids: [target.id],
      author_id: target.authorId,
    })),
  };
}

export function recordReviewFlow(context: ChaosContext, channelId: string): ChaosFlow {
  const { world, db } = context;
  const { driver } = world.sandbox;
  const runs: ReviewRun[] = [];

  const cardOf = (run: ReviewRun, cardId: string) =>
    driver.ephemeralMessagesFor(run.memberId).find((message) => message.id === cardId) as MessageLike | undefined;
  const title = (card: MessageLike | undefined) => card?.embeds?.[0]?.title ?? '';

  return {
    name: 'record review',
    async run() {
      const memberId = driver.createUser({ username: `reviewer-${randomUUID().slice(0, 6)}` }).id;
      driver.addMember(world.guildId, memberId);
      const messageId = String(driver.sendMessage(memberId, channelId, { content: `replaced the coil on machine ${randomUUID().slice(0, 4)}` }).id);
      const run: ReviewRun = { memberId, messageId, reclicks: 0 };
      runs.push(run);
      const command = driver.runMessageCommand(memberId, world.guildId, channelId, COMMAND, messageId);
      const first = await waitUntil(() => (command.responses() as unknown as MessageLike[]).find((card) => card.embeds?.length), CARD_WAIT_MS);
      if (!first) return;
      for (let step = 1; step <= SUGGESTIONS; step++) {
        const card = await waitUntil(() => {
          const shown = cardOf(run, first.id);
          return title(shown).startsWith(`Item ${step} of`) || TOLD.test(title(shown)) ? shown : undefined;
        }, CARD_WAIT_MS);
        if (!card || TOLD.test(title(card))) break;
        const create = buttonOf(card, 'Create');
        if (!create) break;
        const next = step === SUGGESTIONS ? /^Review finished$/ : new RegExp(`^Item ${step + 1} of`);
        for (let attempt = 0; attempt < 4; attempt++) {
          if (attempt > 0) run.reclicks++;
          driver.clickButton(memberId, channelId, first.id, create);
          const moved = await waitUntil(() => (next.test(title(cardOf(run, first.id))) || TOLD.test(title(cardOf(run, first.id))) ? true : undefined), RECLICK_AFTER_MS);
          if (moved) break;
        }
      }
      await waitUntil(() => (/^(Review finished|Could not analyse|The review stopped)/.test(title(cardOf(run, first.id))) ? true : undefined), CARD_WAIT_MS);
      run.outcome = title(cardOf(run, first.id));
    },
    async verify() {
      const tally = emptyTally('record review', runs.length);
      for (const run of runs) {
        const [{ records }] = (await db.query<{ records: string }>(
          'select count(distinct r.id) as records from records r join record_sources s on s.record_id = r.id where s.message_id = $1',
          [run.messageId],
        )) as [{ records: string }];
        const written = Number(records);
        count(tally, 'records', written);
        count(tally, 'reclicks', run.reclicks);
        if (run.outcome === 'Review finished') {
          tally.completed++;
          if (written < SUGGESTIONS) tally.lost++;
          if (written > SUGGESTIONS) tally.duplicated++;
          if (written !== SUGGESTIONS) tally.problems.push(`review of ${run.messageId}: finished with ${written} records`);
        } else if (run.outcome && TOLD.test(run.outcome)) {
          // Records created before the review stopped stay: the member saw them created.
          tally.toldTheUser++;
          if (written > SUGGESTIONS) {
            tally.duplicated++;
            tally.problems.push(`review of ${run.messageId}: "${run.outcome}" with ${written} records`);
          }
        } else {
          tally.lost++;
          tally.problems.push(`review of ${run.messageId}: ended on "${run.outcome ?? 'no card'}" with ${written} records`);
        }
      }
      return tally;
    },
  };
}
