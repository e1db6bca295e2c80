// Record review under chaos: a member right-clicks a message, the LLM suggests two records, the member clicks
// Create on both. Expected: "Review finished" and exactly two records from that message; or, when the LLM was
// down for longer than its retries, the card saying so and no record at all.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { readSuggestionRequest, type PromptText } from '../../../activities/records/offline-suggester.js';
import { buttonOf, count, emptyTally, historyInBrief, patience, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

const COMMAND = 'Add to records';
const SUGGESTIONS = 2;
/** A member who sees no change for this long clicks again, as people do. */
const RECLICK_AFTER_MS = 45_000;
/** Closing cards that tell the member the review could not go on. */
const TOLD = /^(Could not analyse the conversation|The review stopped)$/;
/** Every closing card. */
const ENDED = /^(Review finished|Review cancelled|Review expired|No records found|Already processed|Could not analyse the conversation|The review stopped)$/;

interface ReviewRun {
  memberId: string;
  messageId: string;
  outcome?: string;
  cardId?: string;
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
      const first = await waitUntil(() => (command.responses() as unknown as MessageLike[]).find((card) => card.embeds?.length), PATIENTLY);
      if (!first) return;
      run.cardId = first.id;
      // The member reads the card as it is now and clicks Create on each item; a card that has not moved on after a
      // while gets its button clicked again, as people do.
      let clicked = { step: 0, at: 0 };
      for (; Date.now() < patience.until; await sleep(200)) {
        const card = cardOf(run, first.id);
        if (ENDED.test(title(card))) break;
        const step = Number(/^Item (\d+) of/.exec(title(card))?.[1] ?? 0);
        const create = card && buttonOf(card, 'Create');
        if (!step || !create || (step === clicked.step && Date.now() - clicked.at < RECLICK_AFTER_MS)) continue;
        if (step === clicked.step) run.reclicks++;
        try {
          driver.clickButton(memberId, channelId, first.id, create);
          clicked = { step, at: Date.now() };
        } catch {
          // The card changed between reading it and clicking: read it again.
        }
      }
      run.outcome = title(cardOf(run, first.id));
    },
    async verify() {
      /** What the member saw last, every record they created, and the review's history. */
      const postMortem = async (run: ReviewRun) => {
        const mine = await db.query<{ description: string; sources: string }>(
          `select r.description, string_agg(s.message_id, ',') as sources from records r left join record_sources s on s.record_id = r.id
           where r.created_by = $1 group by r.id, r.description`,
          [run.memberId],
        );
        const cards = driver.ephemeralMessagesFor(run.memberId) as unknown as MessageLike[];
        return [
          `member saw: ${JSON.stringify(cards.map((card) => card.content || card.embeds?.[0]?.description || card.embeds?.[0]?.title))}`,
          `their records: ${JSON.stringify(mine)}`,
          `history: ${await historyInBrief(context, `review:${world.guildId}:${run.messageId}`)}`,
        ].join('; ');
      };
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
          // The card's summary says how many were created: two from the LLM, or fewer when the LLM was down and
          // the offline suggester (one record per message) answered instead.
          const finalCard = cardOf(run, run.cardId ?? '');
          const created = Number(/^Created (\d+)/.exec(finalCard?.embeds?.[0]?.description ?? '')?.[1] ?? SUGGESTIONS);
          tally.completed++;
          if (written < created) tally.lost++;
          if (written > created) tally.duplicated++;
          if (written !== created) tally.problems.push(`review of ${run.messageId}: finished with ${written} records. ${await postMortem(run)}`);
        } else if (run.outcome && TOLD.test(run.outcome)) {
          // Records created before the review stopped stay: the member saw them created.
          tally.toldTheUser++;
          if (written > SUGGESTIONS) {
            tally.duplicated++;
            tally.problems.push(`review of ${run.messageId}: "${run.outcome}" with ${written} records`);
          }
        } else {
          tally.lost++;
          tally.problems.push(`review of ${run.messageId}: ended on "${run.outcome ?? 'no card'}" with ${written} records. ${await postMortem(run)}`);
        }
      }
      return tally;
    },
  };
}
