// One moderation case, from request to outcome: open it (numbered, once per cause), then either record what was
// already done by hand, send a kick or ban to approvers, or check, tell the member and apply it directly. A
// warning adds decaying points, and crossing a rung of the ladder opens the next case. Timed punishments hand
// their end to the member's punishment timer.
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, ParentClosePolicy, executeChild, proxyActivities, startChild } from '@temporalio/workflow';
import type { ModerationActivities } from '../../activities/moderation/index.js';
import type { ApprovalAction } from '../approvals/actions.js';
import { describeDuration } from '../approvals/actions.js';
import { requestApproval } from '../approvals/approval-workflow.js';
import { approvalMembers, approvalSummary, approvalWorkflowId, type ApprovalRequestInput, type ApprovalResult, type Requester } from '../approvals/messages.js';
import { flowSearchAttributes } from '../shared/search-attributes.js';
import { describePoints, rungCrossed } from './ladder.js';
import { approvalCaseId, caseMembers, caseSummary, caseWorkflowId, type CaseKind, type CaseOutcome, type CaseRequest, type CaseStatus, type TimedKind } from './messages.js';
import { showDetails } from '../shared/details.js';

const io = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
/** Discord's 429s and 5xx are retried (every action is idempotent); refusals are final and told in words. */
const enforcer = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '30 seconds',
  // Bounded by time, not attempts: a worker killed mid-attempt must not use up the tries of an action Discord took.
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const TIMED_KINDS: readonly CaseKind[] = ['ban', 'timeout', 'mute'];

export async function moderateCase(request: CaseRequest): Promise<CaseOutcome> {
  const rules = await io.loadModerationRules({ guildId: request.guildId });
  const needsApproval = (request.kind === 'kick' || request.kind === 'ban') && !request.direct && !request.alreadyApplied;
  const opened = await io.openModerationCase({ request, status: request.alreadyApplied ? 'applied' : 'pending' });
  const log = (kind: string, detail: Record<string, unknown> = {}) =>
    io.logCaseStep({
      id: `${opened.id}:${kind}`,
      guildId: request.guildId,
      caseNumber: opened.number,
      kind,
      ...(request.moderatorId ? { actorId: request.moderatorId } : {}),
      targetId: request.targetId,
      detail,
    });
  showDetails(`Case #${opened.number}: ${request.alreadyApplied ? 'recording what was done in Discord' : needsApproval ? 'asking approvers' : 'checking, telling the member, applying'}`);
  await log('case', { kind: request.kind, source: request.source, reason: request.reason, durationSeconds: request.durationSeconds });

  let outcome: CaseOutcome;
  if (request.alreadyApplied) {
    outcome = { number: opened.number, status: 'applied', detail: `Case #${opened.number}: recorded.` };
    await log('execution', { byHand: true });
    await afterApplied(request, opened, request.durationSeconds);
  } else if (needsApproval) {
    outcome = await throughApproval(request, opened, log);
  } else {
    outcome = await applyDirectly(request, opened, rules.muteRoleId, log);
  }
  if (request.kind === 'warn' && outcome.status === 'applied') {
    const { before, after } = await io.addWarningPoints({
      caseId: opened.id,
      guildId: request.guildId,
      memberId: request.targetId,
      points: request.points ?? 1,
      at: Date.now(),
      decayIntervalSeconds: rules.decayIntervalSeconds,
    });
    outcome.detail += ` They now have ${describePoints(after)}.`;
    const rung = rungCrossed(before, after, rules.ladder);
    if (rung) {
      await climbLadder(request, opened.number, rung.points, rung.action);
      outcome.detail += ` That reaches ${rung.points}: the ladder asks for ${describeLadderAction(rung.action)}.`;
    }
  }
  showDetails(outcome.detail);
  if (request.reply) await io.replyToModerator({ reply: request.reply, content: outcome.detail });
  return outcome;
}

type Opened = { id: string; number: number };
type Log = (kind: string, detail?: Record<string, unknown>) => Promise<void>;

/** Checks first, so nothing is half-applied; the member is told before the action (a kicked member is out of reach). */
async function applyDirectly(request: CaseRequest, opened: Opened, muteRoleId: string | null, log: Log): Promise<CaseOutcome> {
  const action = {
    guildId: request.guildId,
    targetId: request.targetId,
    kind: request.kind,
    reason: request.reason,
    ...(request.durationSeconds ? { durationSeconds: request.durationSeconds } : {}),
    ...(request.deleteMessageSeconds ? { deleteMessageSeconds: request.deleteMessageSeconds } : {}),
    muteRoleId,
  };
  try {
    await io.checkModerationTarget({ guildId: request.guildId, targetId: request.targetId, kind: request.kind, ...(request.moderatorId ? { moderatorId: request.moderatorId } : {}) });
    if (request.kind === 'mute' && !muteRoleId) throw ApplicationFailure.nonRetryable('No mute role is set: choose one in the moderation settings first.', 'ActionRefused');
    const told = request.kind === 'note' ? undefined : await io.tellMemberOfCase({ ...action, caseNumber: opened.number });
    await enforcer.applyModerationAction(action);
    if (request.kind !== 'warn') await io.setCaseStatus({ caseId: opened.id, status: 'applied' });
    await log('execution', told ? { memberTold: told } : {});
  } catch (error) {
    const words = refusalWords(error);
    if (words === undefined) throw error;
    await io.setCaseStatus({ caseId: opened.id, status: 'failed' });
    await log('failure', { reason: words });
    return { number: opened.number, status: 'failed', detail: `Case #${opened.number} was not applied: ${words}` };
  }
  await afterApplied(request, opened, request.durationSeconds);
  return { number: opened.number, status: 'applied', detail: `Case #${opened.number}: ${whatWasDone(request.kind, request.targetId, request.durationSeconds)}` };
}

/** Kick and ban wait for approvers (the approvals feature's workflow, as a child); the case follows its result. */
async function throughApproval(request: CaseRequest, opened: Opened, log: Log): Promise<CaseOutcome> {
  const caseId = approvalCaseId(opened.number);
  await io.setCaseStatus({ caseId: opened.id, status: 'pending', approvalCaseId: caseId });
  const action: ApprovalAction = request.kind === 'ban' ? { type: 'ban', ...(request.deleteMessageSeconds ? { deleteMessageSeconds: request.deleteMessageSeconds } : {}) } : { type: 'kick' };
  const requester: Requester = request.moderatorId ? { kind: 'member', userId: request.moderatorId } : { kind: 'automod' };
  if (request.reply) {
    await io.replyToModerator({ reply: request.reply, content: `Case #${opened.number}: the ${request.kind} of <@${request.targetId}> waits for approval.` });
  }
  let result: ApprovalResult;
  showDetails(`Case #${opened.number}: waiting for approvers (approval ${caseId})`);
  try {
    const approval: ApprovalRequestInput = { guildId: request.guildId, caseId, action, targetId: request.targetId, reason: request.reason, evidence: request.evidence, requester };
    result = await executeChild(requestApproval, {
      workflowId: approvalWorkflowId(request.guildId, caseId),
      args: [approval],
      staticSummary: approvalSummary(approval),
      typedSearchAttributes: flowSearchAttributes({ kind: 'approval', guildId: request.guildId, memberIds: approvalMembers(approval) }),
    });
  } catch (error) {
    if (!(error instanceof ChildWorkflowFailure)) throw error;
    const words = error.cause instanceof ApplicationFailure && error.cause.type === 'ApprovalsNotConfigured'
      ? 'Approvals are not set up in this server, so kicks and bans need a moderator whose role may act directly.'
      : (error.cause?.message ?? 'The approval request failed.');
    await io.setCaseStatus({ caseId: opened.id, status: 'failed' });
    await log('failure', { reason: words });
    return { number: opened.number, status: 'failed', detail: `Case #${opened.number} was not applied: ${words}` };
  }
  const status: CaseStatus = result.status === 'executed' ? 'applied' : result.status;
  const applied = result.status === 'executed' ? result.action : undefined;
  const kind: CaseKind | undefined = applied && applied.type !== request.kind ? applied.type : undefined;
  const durationSeconds = applied?.type === 'timeout' ? applied.durationSeconds : request.durationSeconds;
  await io.setCaseStatus({ caseId: opened.id, status, ...(kind ? { kind, durationSeconds: durationSeconds ?? null } : {}) });
  if (status === 'applied') await afterApplied({ ...request, kind: kind ?? request.kind }, opened, durationSeconds);
  return { number: opened.number, status, detail: `Case #${opened.number}: ${result.detail}` };
}

/** A timed punishment hands its end to the member's timer; a permanent ban or an unban drops a pending unban. */
async function afterApplied(request: CaseRequest, opened: Opened, durationSeconds: number | undefined): Promise<void> {
  const target = { guildId: request.guildId, memberId: request.targetId };
  if (durationSeconds && TIMED_KINDS.includes(request.kind)) {
    await io.schedulePunishmentEnd({ ...target, kind: request.kind as TimedKind, term: { caseId: opened.id, caseNumber: opened.number, endsAt: Date.now() + durationSeconds * 1000 } });
  } else if (request.kind === 'ban' || request.kind === 'unban') {
    await io.cancelPunishment({ ...target, kind: 'ban', reason: `case #${opened.number}` });
  }
}

/** The rung's case, opened by the ladder itself; it runs on its own (a kick request may wait an hour for approvers). */
async function climbLadder(request: CaseRequest, warningNumber: number, points: number, action: ApprovalAction): Promise<void> {
  const key = `ladder:${warningNumber}`;
  const rungCase: CaseRequest = {
    guildId: request.guildId,
    key,
    kind: action.type,
    targetId: request.targetId,
    source: 'ladder',
    reason: `Reached ${points} warning points (latest: case #${warningNumber}, ${request.reason})`.slice(0, 512),
    evidence: request.evidence,
    ...(action.type === 'timeout' ? { durationSeconds: action.durationSeconds } : {}),
  };
  await startChild(moderateCase, {
    workflowId: caseWorkflowId(request.guildId, key),
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [rungCase],
    staticSummary: caseSummary(rungCase),
    typedSearchAttributes: flowSearchAttributes({ kind: 'moderation', guildId: request.guildId, memberIds: caseMembers(rungCase) }),
  });
}

function describeLadderAction(action: ApprovalAction): string {
  if (action.type === 'timeout') return `a ${describeDuration(action.durationSeconds)} timeout`;
  return `a ${action.type}, sent to approvers`;
}

/** "<@1> was timed out for 2 hours." */
function whatWasDone(kind: CaseKind, targetId: string, durationSeconds?: number): string {
  if (kind === 'note') return `a note about <@${targetId}> was recorded.`;
  const verbs: Record<Exclude<CaseKind, 'note'>, string> = { warn: 'warned', timeout: 'timed out', mute: 'muted', kick: 'kicked', ban: 'banned', unban: 'unbanned' };
  const during = durationSeconds && TIMED_KINDS.includes(kind) ? ` for ${describeDuration(durationSeconds)}` : '';
  return `<@${targetId}> was ${verbs[kind]}${during}.`;
}

/** A refusal no retry can fix, in the activity's own words; undefined for anything else. */
function refusalWords(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return cause.message;
  return undefined;
}
