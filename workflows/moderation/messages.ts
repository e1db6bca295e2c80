// The moderation ladder's vocabulary: cases, how a case is asked for, and the timed punishment's signals.
import { defineSignal } from '@temporalio/workflow';
import { describeDuration } from '../approvals/actions.js';
import type { Evidence } from '../approvals/messages.js';

/** What a case records. `note` changes nothing in Discord; `mute` gives the server's mute role. */
export const CASE_KINDS = ['warn', 'timeout', 'mute', 'kick', 'ban', 'unban', 'note'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
/** Kinds a case can have besides those a moderator asks for: a lockdown is logged by raid protection. */
export type LoggedCaseKind = CaseKind | 'lockdown';

/** Where a case came from: a moderator's command, Discord's own UI (the audit log), the ladder, automatic moderation. */
export type CaseSource = 'command' | 'manual' | 'ladder' | 'automod' | 'api' | 'raid';

/**
 * `pending` waits for approvers; `applied` is in force; a timed one becomes `ended` when its time is up; `lifted`
 * was undone (an unban), `superseded` gave way to a newer decision; `rejected`, `expired` and `failed` never applied.
 */
export type CaseStatus = 'pending' | 'applied' | 'ended' | 'lifted' | 'superseded' | 'rejected' | 'expired' | 'failed';

export interface CaseRequest {
  guildId: string;
  /** Unique per server and cause (the interaction, the audit log entry, the message): a retried request is one case. */
  key: string;
  kind: CaseKind;
  targetId: string;
  /** The moderator; absent for the ladder and automatic moderation. */
  moderatorId?: string;
  source: CaseSource;
  reason: string;
  evidence: Evidence[];
  /** Points a warning adds (1 by default). */
  points?: number;
  /** For timeout, mute and a temporary ban. */
  durationSeconds?: number;
  /** Seconds of the member's messages a ban deletes. */
  deleteMessageSeconds?: number;
  /** Already done in Discord (a ban made by hand): the case only records it. */
  alreadyApplied?: boolean;
  /** Kick and ban skip approval: the moderator's role acts directly. */
  direct?: boolean;
  /** The command's deferred reply, edited with the outcome. */
  reply?: { applicationId: string; token: string };
}

export interface CaseOutcome {
  number: number;
  status: CaseStatus;
  /** What happened, in words, for the moderator. */
  detail: string;
}

export type TimedKind = 'ban' | 'timeout' | 'mute';

export interface TimedPunishmentInput {
  guildId: string;
  memberId: string;
  kind: TimedKind;
}

export interface PunishmentTerm {
  caseId: string;
  caseNumber: number;
  /** Epoch milliseconds. */
  endsAt: number;
}

/** A new case of the same kind, or a changed duration: the timer moves; the member is not told again. */
export const punishmentSet = defineSignal<[PunishmentTerm]>('punishmentSet');
/** A permanent ban, an unban or a lifted mute: the pending end is dropped. */
export const punishmentCancelled = defineSignal<[{ reason: string }]>('punishmentCancelled');
/** The member came back while the punishment runs: it is put on them again. */
export const memberRejoined = defineSignal('memberRejoined');

export function caseWorkflowId(guildId: string, key: string): string {
  return `case:${guildId}:${key}`;
}

export function punishmentWorkflowId({ guildId, memberId, kind }: TimedPunishmentInput): string {
  return `punishment:${guildId}:${memberId}:${kind}`;
}

/** The approval request a kick or ban case waits on. */
export function approvalCaseId(caseNumber: number): string {
  return `mod-${caseNumber}`;
}

const SOURCE_WORDS: Record<CaseSource, string> = {
  command: 'a command',
  manual: "Discord's own tools",
  ladder: 'the warning ladder',
  automod: 'automatic moderation',
  api: 'the HTTP API',
  raid: 'raid protection',
};

/** A case in one line, for the Web UI: "Case: mute of alice for 20 minutes by bob through a command". */
export function caseSummary(request: CaseRequest, names: { target?: string; moderator?: string } = {}): string {
  const target = names.target ?? `member ${request.targetId}`;
  const by = request.moderatorId ? ` by ${names.moderator ?? `member ${request.moderatorId}`}` : '';
  const during = request.durationSeconds ? ` for ${describeDuration(request.durationSeconds)}` : '';
  return `Case: ${request.kind} of ${target}${during}${by} through ${SOURCE_WORDS[request.source]}`;
}

/** The members a case is about: its target and the moderator who asked. */
export function caseMembers(request: CaseRequest): string[] {
  return [request.targetId, ...(request.moderatorId ? [request.moderatorId] : [])];
}

export function punishmentSummary({ memberId, kind }: TimedPunishmentInput): string {
  return `The end of member ${memberId}'s ${kind}, on a durable timer`;
}
