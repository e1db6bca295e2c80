// A member's timed punishment of one kind (`punishment:<guild>:<member>:<ban|timeout|mute>`): a durable timer to its
// end, which re-reads the case before acting. A new term moves the timer without telling the member again; a
// permanent ban or an unban cancels it; a rejoin puts a mute or timeout back on; a timeout past Discord's 28-day cap
// is renewed window by window.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ModerationActivities } from '../../activities/moderation/index.js';
import { MAX_TIMEOUT_SECONDS } from '../approvals/actions.js';
import { memberRejoined, punishmentCancelled, punishmentSet, type PunishmentTerm, type TimedPunishmentInput } from './messages.js';
import { clock, showDetails } from '../shared/details.js';

const io = proxyActivities<ModerationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Discord's cap on one timeout. */
const TIMEOUT_WINDOW_MS = MAX_TIMEOUT_SECONDS * 1000;

export async function timedPunishment(target: TimedPunishmentInput): Promise<string> {
  let term: PunishmentTerm | undefined;
  let termChanged = false;
  let cancelledBy: string | undefined;
  let rejoined = false;
  /** The term before the latest change, so the change can be recorded once it is handled. */
  let previous: PunishmentTerm | undefined;
  setHandler(punishmentSet, (next) => {
    if (term !== undefined && !termChanged) previous = term;
    termChanged = term !== undefined;
    term = next;
  });
  setHandler(punishmentCancelled, ({ reason }) => {
    cancelledBy = reason;
  });
  setHandler(memberRejoined, () => {
    rejoined = true;
  });

  await condition(() => term !== undefined || cancelledBy !== undefined);
  const { muteRoleId } = await io.loadModerationRules({ guildId: target.guildId });
  /** When the timeout Discord holds now runs out (at most 28 days after it was set). */
  let windowEnd = Date.now() + TIMEOUT_WINDOW_MS;
  const reapply = () => io.reapplyPunishment({ ...target, caseId: term!.caseId, endsAt: term!.endsAt, muteRoleId });

  for (;;) {
    if (cancelledBy !== undefined) {
      // The case that cancelled it (a permanent ban, an unban) took over: this one is no longer in force.
      showDetails(`Cancelled by ${cancelledBy}`);
      if (term && (await io.caseStatus({ caseId: term.caseId })) === 'applied') await io.setCaseStatus({ caseId: term.caseId, status: 'superseded' });
      return `cancelled by ${cancelledBy}`;
    }
    const current = term!;
    showDetails(`The ${target.kind} of member ${target.memberId} (case #${current.caseNumber}) ends at ${clock(current.endsAt, Date.now())}`);
    const wakeAt = target.kind === 'timeout' ? Math.min(current.endsAt, windowEnd) : current.endsAt;
    const interrupted = await condition(() => termChanged || rejoined || cancelledBy !== undefined, Math.max(wakeAt - Date.now(), 1));
    if (cancelledBy !== undefined) continue;
    if (interrupted) {
      // Taken before any await, so a signal arriving meanwhile is handled on the next turn rather than lost.
      const changed = termChanged ? previous : undefined;
      const cameBack = rejoined;
      termChanged = false;
      rejoined = false;
      previous = undefined;
      if (changed) await io.recordTermChange({ previousCaseId: changed.caseId, term: term! });
      // A changed timeout moves Discord's own end too; a rejoin puts the punishment back on.
      if (cameBack || (changed && target.kind === 'timeout')) {
        await reapply();
        windowEnd = Date.now() + TIMEOUT_WINDOW_MS;
      }
      continue;
    }
    if (Date.now() >= current.endsAt) {
      showDetails(`Ending the ${target.kind} of member ${target.memberId} (case #${current.caseNumber})`);
      const ended = await io.endPunishment({ ...target, caseId: current.caseId, muteRoleId });
      showDetails(`Case #${current.caseNumber} ${ended} at ${clock(Date.now())}`);
      return `case #${current.caseNumber} ${ended}`;
    }
    // The 28-day window ran out before the punishment's end: the next window.
    await reapply();
    windowEnd = Date.now() + TIMEOUT_WINDOW_MS;
  }
}
