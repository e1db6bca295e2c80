// Automatic moderation's inbox, one per server (`automod:<guild>`): the adapter signals each candidate the pre-filter
// picked (signal-with-start), and the inbox judges them in batches, so a busy server costs a few workflow steps a
// second rather than a workflow per candidate. A language model judges each message against the server's rules;
// a message no model could judge is tried again, then the pre-filter's rules decide, and the case says so. Warnings
// and timeouts apply at once; a kick or ban becomes an approval request with the message as evidence. Each
// action's case is keyed by the message, so a redelivered event or a replayed batch is one case.
import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { MessageJudgement, ModerationActivities } from '../../activities/moderation/index.js';
import { offlineVerdict, type AutomodVerdict, type FlaggedMessage } from './automod.js';
import { moderateCase } from './case-workflow.js';
import { caseMembers, caseSummary, caseWorkflowId, type CaseRequest } from './messages.js';
import { flowSearchAttributes } from '../shared/search-attributes.js';
import { showDetails } from '../shared/details.js';

const io = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export const messageFlagged = defineSignal<[FlaggedMessage]>('messageFlagged');

export interface AutomodInboxInput {
  guildId: string;
  /** Carried over a continue-as-new: what was still waiting, and the messages seen lately (to drop redeliveries). */
  waiting?: QueuedMessage[];
  recentlySeen?: string[];
}

interface QueuedMessage {
  message: FlaggedMessage;
  /** Rounds in which no model could judge it. */
  attempts: number;
}

/** Messages judged in one activity, and activities at once: room for 100 candidates a second and more. */
const BATCH_SIZE = 100;
const BATCHES_IN_FLIGHT = 4;
/** Rounds before a message no model could judge is left to the pre-filter's rules. */
const MAX_ATTEMPTS = 3;
const RETRY_AFTER_MS = 2_000;
/** A quiet inbox closes; the next candidate starts a new one. */
const IDLE_CLOSE_MS = 60 * 60_000;
const REMEMBERED = 1_000;
/** Batches before the history is carried into a fresh run. */
const BATCHES_PER_RUN = 200;

export function automodInboxId(guildId: string): string {
  return `automod:${guildId}`;
}

export async function automodInbox(input: AutomodInboxInput): Promise<void> {
  const queue: QueuedMessage[] = [...(input.waiting ?? [])];
  const seen = new Set(input.recentlySeen ?? []);
  setHandler(messageFlagged, (message) => {
    if (seen.has(message.messageId)) return;
    seen.add(message.messageId);
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value!);
    queue.push({ message, attempts: 0 });
  });
  /** Messages waiting out their retry delay; they rejoin the queue when it is over. */
  let retrying = 0;
  const retryLater = async (messages: QueuedMessage[]) => {
    retrying += messages.length;
    await sleep(RETRY_AFTER_MS);
    retrying -= messages.length;
    queue.push(...messages);
  };

  /** Batches being judged now: a few at once, so a slow model does not hold the queue back. */
  let inFlight = 0;
  const judge = async (batch: QueuedMessage[]) => {
    const judgements = await io.judgeFlaggedMessages({ guildId: input.guildId, messages: batch.map((queued) => queued.message) });
    const retry: QueuedMessage[] = [];
    for (const [index, judgement] of judgements.entries()) {
      const queued = batch[index]!;
      if (judgement.status === 'unavailable' && queued.attempts + 1 < MAX_ATTEMPTS) retry.push({ message: queued.message, attempts: queued.attempts + 1 });
      else await act(queued.message, judgement);
    }
    // Messages no model could judge wait a little and go round again, behind the ones that came meanwhile.
    if (retry.length > 0) void retryLater(retry);
  };

  for (let batches = 0; batches < BATCHES_PER_RUN && !workflowInfo().continueAsNewSuggested; batches++) {
    showDetails(`${queue.length} flagged message${queue.length === 1 ? '' : 's'} waiting, ${inFlight} batch${inFlight === 1 ? '' : 'es'} with the model, ${retrying} to try again`);
    if (!(await condition(() => queue.length > 0 && inFlight < BATCHES_IN_FLIGHT, IDLE_CLOSE_MS))) {
      await condition(allHandlersFinished);
      if (queue.length === 0 && retrying === 0 && inFlight === 0) return;
      continue;
    }
    const batch = queue.splice(0, BATCH_SIZE);
    inFlight++;
    void judge(batch).finally(() => inFlight--);
  }
  await condition(() => inFlight === 0);
  await condition(() => retrying === 0);
  await condition(allHandlersFinished);
  await continueAsNew<typeof automodInbox>({ guildId: input.guildId, waiting: queue, recentlySeen: [...seen] });
}

/** Opens the case the verdict asks for (none for "no violation"); it runs on its own, keyed by the message. */
async function act(message: FlaggedMessage, judgement: MessageJudgement): Promise<void> {
  const verdict: AutomodVerdict = judgement.status === 'judged' ? judgement.verdict : offlineVerdict(message.candidate, judgement.status === 'unavailable');
  if (!verdict.violation || verdict.action === 'none') return;
  const judgedBy = judgement.status === 'judged' ? `judged by ${judgement.usage.provider}` : 'pre-filter rules';
  const key = `automod:${message.messageId}`;
  const request: CaseRequest = {
    guildId: message.guildId,
    key,
    kind: verdict.action,
    targetId: message.authorId,
    source: 'automod',
    reason: `Automatic moderation (${judgedBy}): ${verdict.explanation}`.slice(0, 512),
    evidence: [{ url: `https://discord.com/channels/${message.guildId}/${message.channelId}/${message.messageId}`, excerpt: message.content.slice(0, 300) }],
    ...(verdict.action === 'timeout' ? { durationSeconds: (verdict.durationMinutes ?? 10) * 60 } : {}),
  };
  await startChild(moderateCase, {
    workflowId: caseWorkflowId(message.guildId, key),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [request],
    staticSummary: caseSummary(request, { target: message.authorName }),
    typedSearchAttributes: flowSearchAttributes({ kind: 'moderation', guildId: message.guildId, memberIds: caseMembers(request) }),
  });
}
