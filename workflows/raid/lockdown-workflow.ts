// One lockdown per server (`lockdown:<guild>`): started by the first detection and reached by every later one, so
// two detectors never lock a server twice. It snapshots what it may touch, climbs its levels (slowmode → invites
// paused → @everyone cannot send → a higher verification level), acts on members who join while it lasts, and lifts
// itself after a quiet spell on a durable timer (or when an approver presses Lift), restoring exactly what it
// changed and keeping what moderators changed by hand. Every step is an idempotent activity, so a worker killed
// anywhere resumes into the same end state.
import { ApplicationFailure, ParentClosePolicy, allHandlersFinished, condition, log, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { RaidActivities } from '../../activities/raid/index.js';
import { requestApproval } from '../approvals/approval-workflow.js';
import { isApprover } from '../approvals/decisions.js';
import { approvalSummary, approvalWorkflowId, type ApprovalRequestInput } from '../approvals/messages.js';
import { flowSearchAttributes } from '../shared/search-attributes.js';
import { renderAlertCard } from './card.js';
import {
  LOCKDOWN_LEVELS,
  LOCKDOWN_REFUSED,
  commandLockdown,
  joinedDuringRaid,
  lockdownStatus,
  raidDetected,
  type LockdownCommand,
  type LockdownLevel,
  type LockdownRules,
  type LockdownStatus,
  type RaidSignal,
  type RestoreReport,
} from './messages.js';
import { changesAt, describeLevel } from './plan.js';
import { clock, showDetails } from '../shared/details.js';

/**
 * Changing or restoring a server can take minutes when Discord rate-limits it; heartbeats between batches tell a
 * dead worker from a slow one within 20 s.
 */
const io = proxyActivities<RaidActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** A detection raises the level only when the last raise is this old: a raid in full swing climbs, not jumps. */
const ESCALATION_SPACING_MS = 30_000;
/** Joiners are acted on in batches of at most this many per activity. */
const JOINERS_PER_BATCH = 50;
/** The most members one ban wave asks approvers about. */
const MAX_BAN_WAVE = 500;

export interface LockdownInput {
  guildId: string;
}

export async function lockdown(input: LockdownInput): Promise<LockdownStatus> {
  const { guildId } = input;
  const detections: RaidSignal[] = [];
  const joiners: string[] = [];
  const seenJoiners = new Set<string>();
  const timeline: { at: number; what: string }[] = [];
  const done: string[] = [];
  /** What Discord refused to change (a permission the bot lost after the settings were checked). */
  const failed: string[] = [];
  let rules: LockdownRules | undefined;
  let state: LockdownStatus['state'] = 'locking';
  let level = 0 as LockdownLevel | 0;
  let targetLevel = 0;
  let lastRaise = 0;
  let quietUntil = Date.now();
  let joinersActedOn = 0;
  let liftedBy: string | undefined;
  let liftRequested = false;
  let report: RestoreReport | undefined;
  let caseNumber: number | null = null;
  let banWave: LockdownStatus['banWave'];
  let cardMessageId: string | null = null;
  let changes = 0;

  const note = (what: string) => timeline.push({ at: Date.now(), what });
  const status = (): LockdownStatus => ({ state, level: Math.max(level, 1) as LockdownLevel, detections, quietUntil, joinersActedOn, raiders: seenJoiners.size, caseNumber, ...(banWave ? { banWave } : {}), ...(report ? { report } : {}) });
  const quietMs = () => (rules?.quietMinutes ?? 10) * 60_000;
  const queueJoiners = (userIds: readonly string[]) => {
    for (const userId of userIds) {
      if (seenJoiners.has(userId)) continue;
      seenJoiners.add(userId);
      joiners.push(userId);
    }
  };

  setHandler(raidDetected, (signal) => {
    if (state === 'lifting' || state === 'lifted') return;
    detections.push(signal);
    note(`Detected: ${signal.summary}`);
    quietUntil = Math.max(quietUntil, Date.now() + quietMs());
    // The first detection sets the starting level; later ones climb, spaced out.
    if (rules && level > 0 && Date.now() - lastRaise >= ESCALATION_SPACING_MS) targetLevel = Math.min(Math.max(targetLevel, level) + 1, LOCKDOWN_LEVELS.length);
    changes++;
  });
  setHandler(joinedDuringRaid, ({ userIds }) => {
    if (state === 'lifting' || state === 'lifted') return;
    queueJoiners(userIds);
    changes++;
  });
  setHandler(lockdownStatus, status);
  setHandler(
    commandLockdown,
    async ({ command, decider }) => {
      if (command === 'bans') {
        const members = [...seenJoiners].slice(0, MAX_BAN_WAVE);
        const caseId = `lockdown-${caseNumber}-bans`;
        banWave = { caseId, members: members.length };
        note(`Ban wave of ${members.length} requested by <@${decider.userId}> (approval ${caseId})`);
        changes++;
        // The request outlives the lockdown: approvers may decide after it has lifted.
        const wave: ApprovalRequestInput = {
          guildId,
          caseId,
          action: { type: 'ban', deleteMessageSeconds: 3600 },
          targetId: members[0]!,
          alsoTargetIds: members.slice(1),
          reason: `Joined during the raid of lockdown case #${caseNumber}`,
          evidence: detections.slice(0, 3).map((detection) => ({ excerpt: detection.summary })),
          requester: { kind: 'member', userId: decider.userId },
        };
        await startChild(requestApproval, {
          workflowId: approvalWorkflowId(guildId, caseId),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [wave],
          staticSummary: approvalSummary(wave),
          typedSearchAttributes: flowSearchAttributes({ kind: 'approval', guildId, memberIds: [decider.userId] }),
        });
        await refreshCard();
        return status();
      }
      if (command === 'lift') {
        liftRequested = true;
        liftedBy = decider.userId;
        note(`Lift pressed by <@${decider.userId}>`);
      } else if (command === 'extend') {
        quietUntil = Math.max(quietUntil, Date.now()) + quietMs();
        note(`Extended by <@${decider.userId}>`);
      } else {
        targetLevel = Math.min(Math.max(targetLevel, level) + 1, LOCKDOWN_LEVELS.length);
        note(`Escalated by <@${decider.userId}>`);
      }
      changes++;
      return status();
    },
    {
      validator: ({ command, decider }: { command: LockdownCommand; decider: Parameters<typeof isApprover>[0] }) => {
        if (state === 'lifting' || state === 'lifted') refuse('This lockdown has already been lifted.');
        if (!rules) refuse('The lockdown is still starting; try again in a moment.');
        if (!isApprover(decider, rules!.approverRoleIds)) refuse('Only approvers can lift, extend or escalate a lockdown.');
        if (command === 'escalate' && Math.max(targetLevel, level) >= LOCKDOWN_LEVELS.length) refuse('The lockdown is already at its highest level.');
        if (command === 'bans' && banWave) refuse('A ban wave has already been asked for.');
        if (command === 'bans' && seenJoiners.size === 0) refuse('No one has joined during this raid yet.');
      },
    },
  );

  showDetails(`Raid detected: ${detections[0]?.summary ?? 'starting'}; taking a snapshot before locking`);
  rules = await io.loadLockdownRules({ guildId });
  quietUntil = Date.now() + quietMs();
  targetLevel = Math.max(targetLevel, rules.startLevel);
  for (const detection of detections) queueJoiners(detection.joinerIds ?? []);
  const snapshot = await io.takeSnapshot({ guildId, channelIds: rules.channelIds });
  note(`Snapshot taken: ${snapshot.channels.length} channels, verification level ${snapshot.verificationLevel}, invites ${snapshot.invitesDisabled ? 'already paused' : 'open'}`);
  caseNumber = await io.openLockdownCase({ guildId, key: `lockdown:${workflowInfo().runId}`, reason: detections[0]?.summary ?? 'Raid detected', timeline });
  if (rules.alertChannelId) cardMessageId = await io.postAlertCard({ channelId: rules.alertChannelId, nonceKey: `lockdown:${workflowInfo().runId}`, card: card() });

  for (;;) {
    while (level < targetLevel && !liftRequested) {
      const next = (level + 1) as LockdownLevel;
      const step = LOCKDOWN_LEVELS[next - 1]!;
      const { refused } = await io.applyLockdownStep({ guildId, step, changes: changesAt(next, snapshot, rules) });
      level = next;
      lastRaise = Date.now();
      done.splice(0, done.length, ...describeLevel(level, changesAt(level, snapshot, rules), rules));
      note(`Level ${level}: ${done[done.length - 1]}`);
      for (const what of refused) {
        failed.push(what);
        note(`Could not change ${what}`);
      }
      state = 'locked';
      await refreshCard();
    }
    if (joiners.length > 0 && rules.joinAction !== 'none' && !liftRequested) {
      const batch = joiners.splice(0, JOINERS_PER_BATCH);
      const acted = await io.actOnJoiners({ guildId, userIds: batch, action: rules.joinAction, timeoutMinutes: rules.joinTimeoutMinutes, reason: `Joined during a raid lockdown (case #${caseNumber})` });
      joinersActedOn += acted.length;
      if (acted.length > 0) note(`${rules.joinAction === 'kick' ? 'Kicked' : 'Timed out'} ${acted.length} member${acted.length === 1 ? '' : 's'} who joined during the raid`);
      if (joiners.length === 0) await refreshCard();
      continue;
    }
    if (liftRequested || Date.now() >= quietUntil) break;
    showDetails(
      `Locked at level ${level} since ${clock(timeline[0]?.at ?? Date.now(), Date.now())} (case #${caseNumber}): ${detections.length} detection${detections.length === 1 ? '' : 's'}, ${joinersActedOn} joiners acted on`,
      `Lifts itself at ${clock(quietUntil, Date.now())} if nothing more is detected, or when an approver presses Lift`,
    );
    const seen = changes;
    await condition(() => changes !== seen, Math.max(quietUntil - Date.now(), 1));
  }

  if (!liftRequested) note(`No new detection for ${rules.quietMinutes} minutes: lifting`);
  state = 'lifting';
  showDetails(`Lifting${liftedBy ? ` (pressed by member ${liftedBy})` : ''}: restoring the server as it was`);
  await refreshCard();
  report = await io.restoreSnapshot({ snapshot, changes: changesAt(Math.max(level, 1) as LockdownLevel, snapshot, rules) });
  note(`Lifted: restored ${report.restored.length}, kept ${report.keptByHand.length} changed by hand`);
  if (report.keptByHand.length > 0) log.info('Lockdown lift kept changes made by hand', { guildId, kept: report.keptByHand });
  state = 'lifted';
  showDetails(`Lifted at ${clock(Date.now())}: restored ${report.restored.length}, kept ${report.keptByHand.length} changed by hand`);
  await refreshCard();
  await io.closeLockdownCase({ guildId, key: `lockdown:${workflowInfo().runId}`, timeline });
  await condition(allHandlersFinished);
  return status();

  function card() {
    return renderAlertCard({ guildId, status: status(), done, failed, ...(liftedBy ? { liftedBy } : {}) });
  }

  async function refreshCard() {
    if (cardMessageId && rules?.alertChannelId) await io.editAlertCard({ channelId: rules.alertChannelId, messageId: cardMessageId, card: card() });
  }
}

function refuse(words: string): never {
  throw ApplicationFailure.create({ type: LOCKDOWN_REFUSED, message: words });
}
