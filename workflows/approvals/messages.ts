// The approval request's messages: the adapter and the HTTP API use these same definitions.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { describeAction, type ApprovalAction } from './actions.js';
import type { ApprovalPolicy, Decider, Decision, Outcome } from './decisions.js';

export interface Evidence {
  /** A link to a message, or any URL that shows what happened. */
  url?: string;
  excerpt?: string;
}

/** Who asked: a member (their Discord id), Steward's automatic moderation, or another system through the API. */
export type Requester = { kind: 'member'; userId: string } | { kind: 'automod' } | { kind: 'system'; name: string };

export interface ApprovalRequestInput {
  guildId: string;
  /** The request's number or key, unique per server: `approval:<guild>:<caseId>` is its workflow id. */
  caseId: string;
  action: ApprovalAction;
  targetId: string;
  /** A wave (the raiders of a lockdown): more members the same action applies to, after `targetId`. */
  alsoTargetIds?: string[];
  reason: string;
  evidence: Evidence[];
  requester: Requester;
}

/** The server's rules for this request, read once when it starts, so a settings change cannot alter it midway. */
export interface ApprovalRules extends ApprovalPolicy {
  channelId: string;
  timeoutSeconds: number;
  onTimeout: 'expire' | 'approve';
  /** The admins' alert channel, told about a request still waiting after `alertAfterSeconds`. */
  alert?: { channelId: string; afterSeconds: number };
  /** A Telegram chat that gets the request too (when the worker has a Telegram bot token). */
  telegramChatId?: string;
}

export interface DecisionRequest {
  decider: Decider;
  decision: Decision;
}

export type ApprovalResult =
  /** `action` is what was applied: the request's, or the milder one an approver chose with Modify. */
  | { status: 'executed'; detail: string; action?: ApprovalAction }
  | { status: 'superseded'; detail: string }
  | { status: 'failed'; detail: string }
  | { status: 'rejected' | 'expired'; detail: string };

export interface ApprovalStatus {
  outcome: Outcome | 'expired';
  action: ApprovalAction;
  reason: string;
  approvedBy: string[];
  rejectedBy?: string;
  deadline: number;
  result?: ApprovalResult;
}

export const decideApproval = defineUpdate<ApprovalStatus, [DecisionRequest]>('decideApproval');
export const approvalStatus = defineQuery<ApprovalStatus>('approvalStatus');

/** The failure type of a decision the request will not take; its message is what the member reads. */
export const DECISION_REFUSED = 'DecisionRefused';

/** Every member a request is about: its target, then the rest of its wave. */
export function targetsOf(request: Pick<ApprovalRequestInput, 'targetId' | 'alsoTargetIds'>): string[] {
  return [request.targetId, ...(request.alsoTargetIds ?? [])];
}

/** Members listed on a card before "and N more". */
export const LISTED_TARGETS = 40;

export function approvalWorkflowId(guildId: string, caseId: string): string {
  return `approval:${guildId}:${caseId}`;
}

/** A request in one line, for the Web UI: "Approval: Ban of member 123 (and 29 more), asked by member 456". */
export function approvalSummary(input: ApprovalRequestInput): string {
  const more = input.alsoTargetIds?.length ? ` (and ${input.alsoTargetIds.length} more)` : '';
  const requester = input.requester.kind === 'member' ? `member ${input.requester.userId}` : input.requester.kind === 'automod' ? 'automatic moderation' : input.requester.name;
  return `Approval ${input.caseId}: ${describeAction(input.action)} of member ${input.targetId}${more}, asked by ${requester}`;
}

/** The members an approval is about: its targets and the member who asked. */
export function approvalMembers(input: ApprovalRequestInput): string[] {
  return [...targetsOf(input), ...(input.requester.kind === 'member' ? [input.requester.userId] : [])];
}
