// The lockdown's vocabulary: what a detector reports, the server's rules for a lockdown, what was there before it
// (the snapshot it restores), and the signals, Update and query the adapter and the HTTP API use.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decider } from '../approvals/decisions.js';

/** What tripped a detector: a burst of joins, or a flood of messages. */
export interface RaidSignal {
  kind: 'joins' | 'spam';
  /** In words, for the alert card: "34 joins in 10 s (28 accounts younger than 7 days)". */
  summary: string;
  at: number;
  /** The accounts whose joins tripped it: acted on like every member who joins during the lockdown. */
  joinerIds?: string[];
}

/** The steps a lockdown climbs, each adding to the one before. */
export const LOCKDOWN_LEVELS = ['slowmode', 'invites', 'send', 'verification'] as const;
export type LockdownLevel = 1 | 2 | 3 | 4;

/** The server's lockdown rules, read once when a lockdown starts. */
export interface LockdownRules {
  /** The channels a lockdown touches (text channels the bot can manage, when none were chosen). */
  channelIds: string[];
  alertChannelId: string | null;
  /** The level a lockdown starts at; each further detection or an Escalate raises it by one. */
  startLevel: LockdownLevel;
  slowmodeSeconds: number;
  /** Discord's verification level (0–4) the last step raises the server to, never lowers it to. */
  raisedVerificationLevel: number;
  /** Minutes without a new detection before the lockdown lifts itself. */
  quietMinutes: number;
  /** What happens to members who join while it lasts. */
  joinAction: 'none' | 'timeout' | 'kick';
  joinTimeoutMinutes: number;
  /** Who may press Lift, Extend and Escalate: the approvals' approver roles (and administrators). */
  approverRoleIds: string[];
}

/** @everyone's overwrite on a channel: allow and deny as decimal bit strings, or none. */
export interface EveryoneOverwrite {
  allow: string;
  deny: string;
}

export interface ChannelSnapshot {
  channelId: string;
  name: string;
  everyone: EveryoneOverwrite | null;
  slowmodeSeconds: number;
}

/** Everything a lockdown may change, as it was before its first change. */
export interface ServerSnapshot {
  guildId: string;
  channels: ChannelSnapshot[];
  verificationLevel: number;
  invitesDisabled: boolean;
}

/** What a lift found on one thing it had changed. */
export interface RestoreReport {
  restored: string[];
  /** Changed by hand while the lockdown lasted: kept as the moderator left it. */
  keptByHand: string[];
}

/** `bans`: ask approvers to ban every member who joined during the raid (one approval request for the wave). */
export type LockdownCommand = 'lift' | 'extend' | 'escalate' | 'bans';

export interface LockdownStatus {
  state: 'locking' | 'locked' | 'lifting' | 'lifted';
  level: LockdownLevel;
  detections: RaidSignal[];
  quietUntil: number;
  joinersActedOn: number;
  /** Members who joined during the raid (and the young accounts that tripped it): a ban wave's candidates. */
  raiders: number;
  /** The ban wave's approval request, once an approver asked for it. */
  banWave?: { caseId: string; members: number };
  report?: RestoreReport;
  caseNumber: number | null;
}

export const raidDetected = defineSignal<[RaidSignal]>('raidDetected');
export const joinedDuringRaid = defineSignal<[{ userIds: string[] }]>('joinedDuringRaid');
export const commandLockdown = defineUpdate<LockdownStatus, [{ command: LockdownCommand; decider: Decider }]>('commandLockdown');
export const lockdownStatus = defineQuery<LockdownStatus>('lockdownStatus');

/** The failure type of a command the lockdown will not take; its message is what the member reads. */
export const LOCKDOWN_REFUSED = 'LockdownRefused';

/** One per server, so two detectors (or two adapters) never start two lockdowns. */
export function lockdownWorkflowId(guildId: string): string {
  return `lockdown:${guildId}`;
}
