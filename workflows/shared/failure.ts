// What an activity's failure says, for a log line or a sentence a member or an admin reads: the activity's own
// error (its ApplicationFailure's message), not the "Activity task failed" wrapper around it.
import { ActivityFailure } from '@temporalio/workflow';

export function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? (error.cause ?? error) : error;
  return (cause as Error | undefined)?.message ?? String(error);
}
