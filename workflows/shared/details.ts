// A flow's current details, which the Temporal Web UI shows under its summary ("step 2 of 3, waiting for alice since
// 14:02 UTC"): set as the state changes, read by operators through the workflow's metadata query.
import { setCurrentDetails } from '@temporalio/workflow';

/** "2026-12-05 14:02 UTC": the same words on every worker (a workflow cannot read the machine's zone). */
export function utcMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "14:02 UTC" for a time on the same day as `now`, the full `utcMinute` otherwise. */
export function clock(at: number, now = at): string {
  const minute = utcMinute(at);
  return minute.slice(0, 10) === utcMinute(now).slice(0, 10) ? minute.slice(11) : minute;
}

/** Sets the details: one line, or several joined by line breaks. */
export function showDetails(...lines: string[]): void {
  setCurrentDetails(lines.filter(Boolean).join('\n'));
}
