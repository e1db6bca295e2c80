// What a member reads when a click's Workflow Update was not taken: the workflow's own refusal (a failure of the
// feature's refusal type, whose message is written for members), or the feature's sentence for a flow that is
// over or for a click that lost a race with another. Anything else is a real failure: undefined.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

export interface RefusalWords {
  /** The ApplicationFailure type the workflow's validators and handlers refuse with. */
  refusalType: string;
  /** The flow has ended (its workflow completed, or is gone). */
  finished: string;
  /** Many Updates at once on one workflow: the server drops some before the worker sees them. */
  simultaneous: string;
}

export function updateRefusal(error: unknown, words: RefusalWords): string | undefined {
  if (error instanceof WorkflowNotFoundError) return words.finished;
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type === words.refusalType) return cause.message;
    if (/wasn't processed by worker/i.test(cause?.message ?? error.message)) return words.simultaneous;
    return undefined;
  }
  return /workflow execution already completed/i.test((error as Error).message ?? '') ? words.finished : undefined;
}
