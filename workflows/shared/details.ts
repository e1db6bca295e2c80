// A flow's current details, which the Temporal Web UI shows under its summary ("step 2 of 3, waiting for alice since
// 14:02 UTC"): set as the state changes, read by operators through the workflow's metadata query.
import { setCurrentDetails } from '@temporalio/workflow';

/** "14:02 UTC" for today's times, "2026-12-05 14:02 UTC" otherwise: a workflow cannot read the machine's zone. */
export function clock(at: number, now = at): string {
  const iso = new Date(at).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? iso.slice(11, 16) : iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Sets the details: one line, or several joined by line breaks. */
export function showDetails(...lines: string[]): void {
  setCurrentDetails(lines.filter(Boolean).join('\n'));
}
