// An approval request: post the card, wait for approvers (Updates with validators), ping the approvers at half
// time, then expire (or approve, where the server allows it for non-destructive actions); on approval run the
// action once through Discord, and close the card with the outcome. Every step goes to the moderation log.
import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import type { ApprovalsActivities } from '../../activities/approvals/index.js';
import { describeAction, isDestructive, type ApprovalAction } from './actions.js';
import { closingFor, renderApprovalCard, type CardState } from './card.js';
import { renderTelegramCard } from './telegram-card.js';
import { ApprovalDecisions } from './decisions.js';
import {
  DECISION_REFUSED,
  approvalStatus,
  decideApproval,
  type ApprovalRequestInput,
  type ApprovalResult,
  type ApprovalRules,
  type ApprovalStatus,
  targetsOf,
} from './messages.js';
import { clock, showDetails } from '../shared/details.js';

const io = proxyActivities<ApprovalsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Telegram is a second surface: a few tries, and a Telegram outage never holds the request up. */
const telegram = proxyActivities<ApprovalsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 5 },
});
/** The action itself: Discord's 429s and 5xx are retried (the action is idempotent); refusals are final. */
const enforcer = proxyActivities<ApprovalsActivities>({
  startToCloseTimeout: '30 seconds',
  // Bounded by time, not attempts: a worker killed mid-attempt must not use up the tries of an action Discord took.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function requestApproval(request: ApprovalRequestInput): Promise<ApprovalResult> {
  const rules: ApprovalRules = await io.loadApprovalRules({ guildId: request.guildId, actionType: request.action.type });
  const decisions = new ApprovalDecisions(rules, request.requester.kind === 'member' ? request.requester.userId : undefined);
  const card: CardState = {
    action: request.action,
    reason: request.reason,
    approvedBy: decisions.approvedBy,
    quorum: rules.quorum,
    deadline: Date.now() + rules.timeoutSeconds * 1000,
    onTimeout: rules.onTimeout,
  };
  let result: ApprovalResult | undefined;
  let expired = false;
  /** Decisions taken so far: the card is re-rendered after each one that leaves the request open. */
  let changes = 0;
  const status = (): ApprovalStatus => ({
    outcome: expired ? 'expired' : decisions.outcome,
    action: card.action,
    reason: card.reason,
    approvedBy: [...decisions.approvedBy],
    ...(decisions.rejectedBy ? { rejectedBy: decisions.rejectedBy } : {}),
    deadline: card.deadline,
    ...(result ? { result } : {}),
  });
  const log = (kind: string, actorId: string | undefined, detail: Record<string, unknown>) =>
    io.logModeration({ id: uuid4(), guildId: request.guildId, caseId: request.caseId, kind, ...(actorId ? { actorId } : {}), targetId: request.targetId, detail });

  setHandler(approvalStatus, status);
  setHandler(
    decideApproval,
    async ({ decider, decision }) => {
      decisions.apply(decider, decision);
      if (decision.kind === 'modify') {
        card.action = decision.action;
        if (decision.reason) card.reason = decision.reason;
      }
      changes++;
      await log(decision.kind, decider.userId, decision.kind === 'modify' ? { action: decision.action, reason: card.reason } : {});
      return status();
    },
    {
      validator: ({ decider, decision }) => {
        if (expired) throw ApplicationFailure.create({ type: DECISION_REFUSED, message: 'This request has expired.' });
        const verdict = decisions.validate(decider, decision, card.action);
        if (!verdict.ok) throw ApplicationFailure.create({ type: DECISION_REFUSED, message: verdict.reason });
      },
    },
  );

  showDetails(`Posting the request for approvers in channel ${rules.channelId}`);
  await log('request', request.requester.kind === 'member' ? request.requester.userId : undefined, {
    action: request.action,
    reason: request.reason,
    evidence: request.evidence,
  });
  // Listed as pending before its card exists, so nothing an approver sees is missing from /approvals.
  await io.saveApprovalRequest({ request, status: 'pending', cardMessageId: null });
  const cardMessageId = await io.postApprovalCard({ guildId: request.guildId, channelId: rules.channelId, caseId: request.caseId, card: renderApprovalCard(request, card) });
  await io.saveApprovalRequest({ request, status: 'pending', cardMessageId });
  const telegramCard = rules.telegramChatId ? postToTelegram(request, rules.telegramChatId, card) : undefined;
  const decided = () => decisions.outcome !== 'pending';
  /** Decisions the card shows: one taken while the card was being posted is shown as soon as it is up. */
  let rendered = 0;
  const waitUntil = async (at: number) => {
    while (!decided()) {
      showWaiting();
      if (!(await condition(() => decided() || changes !== rendered, Math.max(at - Date.now(), 1)))) return;
      if (decided()) return;
      rendered = changes;
      await io.editApprovalCard({ channelId: rules.channelId, messageId: cardMessageId, card: renderApprovalCard(request, card) });
      void telegramCard?.show({ ...card, approvedBy: [...card.approvedBy] });
    }
  };
  // On the way to the deadline: the approvers are pinged at half time, the admins alerted past the alert age.
  const startedAt = card.deadline - rules.timeoutSeconds * 1000;
  function showWaiting() {
    const approvals = card.approvedBy.length;
    showDetails(
      `${describeAction(card.action)} of member ${request.targetId}: waiting for approvers since ${clock(startedAt, Date.now())}`,
      `${approvals} approval${approvals === 1 ? '' : 's'} so far; ${rules.onTimeout === 'approve' && !isDestructive(card.action.type) ? 'approved' : 'expires'} at ${clock(card.deadline, Date.now())} if nobody decides`,
    );
  }
  const milestones = [
    {
      at: startedAt + (rules.timeoutSeconds * 1000) / 2,
      run: async () => {
        await io.pingApprovers({ channelId: rules.channelId, roleIds: rules.approverRoleIds, caseId: request.caseId, action: describeAction(card.action), deadline: card.deadline });
        await log('escalation', undefined, {});
      },
    },
    ...(rules.alert && rules.alert.afterSeconds < rules.timeoutSeconds
      ? [
          {
            at: startedAt + rules.alert.afterSeconds * 1000,
            run: async () => {
              await io.alertAdmins({ channelId: rules.alert!.channelId, caseId: request.caseId, action: describeAction(card.action), since: startedAt, cardChannelId: rules.channelId, cardMessageId, guildId: request.guildId });
              await log('alert', undefined, {});
            },
          },
        ]
      : []),
  ].sort((a, b) => a.at - b.at);
  for (const milestone of milestones) {
    await waitUntil(milestone.at);
    if (decided()) break;
    await milestone.run();
  }
  await waitUntil(card.deadline);

  if (!decided() && rules.onTimeout === 'approve' && !isDestructive(card.action.type)) {
    result = await execute(request, card.action, card.reason);
    await log('auto-approval', undefined, { result });
  } else if (decisions.outcome === 'approved') {
    result = await execute(request, card.action, card.reason);
  } else if (decisions.outcome === 'rejected') {
    result = { status: 'rejected', detail: `Rejected by <@${decisions.rejectedBy}>.` };
  } else {
    expired = true;
    result = { status: 'expired', detail: 'Nobody decided in time; nothing was done.' };
    await log('expiry', undefined, {});
  }
  showDetails(`Closed (${result.status}) at ${clock(Date.now())}: ${result.detail}`);
  // The list agrees with the card from the moment the card shows the outcome.
  await io.saveApprovalRequest({ request, status: result.status, cardMessageId });
  const closed: CardState = { ...card, closed: { ...closingFor(result), at: Date.now() } };
  await io.editApprovalCard({ channelId: rules.channelId, messageId: cardMessageId, card: renderApprovalCard(request, closed) });
  await telegramCard?.show(closed);
  await condition(allHandlersFinished);
  return result;
}

/**
 * The request's Telegram message, posted in the background so that a slow or failing Telegram never delays the
 * Discord card or the decision; `show` queues an edit to the card's state (awaited only when the request closes).
 * Failures are logged and dropped.
 */
function postToTelegram(request: ApprovalRequestInput, chatId: string, card: CardState) {
  const posted = (async () => {
    try {
      const serverName = await telegram.serverName({ guildId: request.guildId });
      const messageId = await telegram.postTelegramCard({ guildId: request.guildId, caseId: request.caseId, targetId: request.targetId, chatId, card: renderTelegramCard(request, card, serverName) });
      return { messageId, serverName };
    } catch (error) {
      log.warn('Could not post the request to Telegram', { chatId, error: (error as Error).message });
      return undefined;
    }
  })();
  // Edits go one after another, so a slow one is never overtaken by an older state.
  let edits: Promise<void> = posted.then(() => undefined);
  return {
    show(state: CardState): Promise<void> {
      edits = edits.then(async () => {
        const message = await posted;
        if (!message) return;
        await telegram
          .editTelegramCard({ chatId, messageId: message.messageId, card: renderTelegramCard(request, state, message.serverName) })
          .catch((error: unknown) => log.warn('Could not update the request in Telegram', { chatId, error: (error as Error).message }));
      });
      return edits;
    },
  };
}

/**
 * Runs the approved action once per member; a refusal from Discord is the result, told in words, not a failed
 * workflow. A wave reports how many it applied to.
 */
async function execute(request: ApprovalRequestInput, action: ApprovalAction, reason: string): Promise<ApprovalResult> {
  const targets = targetsOf(request);
  const results: ApprovalResult[] = [];
  for (const targetId of targets) {
    try {
      results.push(await enforcer.executeApprovedAction({ guildId: request.guildId, caseId: request.caseId, targetId, action, reason, ...(targets.length > 1 ? { inWave: true } : {}) }));
    } catch (error) {
      const cause = error instanceof ActivityFailure ? error.cause : error;
      results.push({ status: 'failed', detail: (cause as Error | undefined)?.message ?? 'Discord did not apply the action.' });
    }
  }
  if (targets.length === 1) {
    const result = results[0]!;
    return result.status === 'executed' ? { ...result, action } : result;
  }
  const count = (status: ApprovalResult['status']) => results.filter((result) => result.status === status).length;
  const applied = count('executed');
  const notes = [count('superseded') ? `${count('superseded')} no longer in the server or decided otherwise` : '', count('failed') ? `${count('failed')} refused by Discord` : ''].filter(Boolean);
  const detail = `${describeAction(action)} applied to ${applied} of ${targets.length} members${notes.length ? ` (${notes.join('; ')})` : ''}.`;
  if (applied > 0) return { status: 'executed', detail, action };
  return count('failed') > 0 ? { status: 'failed', detail } : { status: 'superseded', detail };
}
