// The review card's button protocol: `review:<action>:<guild>:<message>:<step>`. The key is the review
// workflow's id without its `review:` prefix, plus the step the card showed, so a click names the workflow to
// update and the card it was made on. The Edit modal's submission carries the same id with the `edit` action.
import { defineCustomIds } from '../shared/custom-id.js';

const WORKFLOW_PREFIX = 'review:';

export interface ReviewCardKey {
  workflowId: string;
  stepIndex: number;
}

export const reviewCustomIds = defineCustomIds({
  flow: 'review',
  actions: ['create', 'edit', 'skip', 'cancel'],
  writeKey: ({ workflowId, stepIndex }: ReviewCardKey) => `${workflowId.slice(WORKFLOW_PREFIX.length)}:${stepIndex}`,
  readKey(text): ReviewCardKey | undefined {
    const cut = text.lastIndexOf(':');
    const stepIndex = Number(text.slice(cut + 1));
    if (cut <= 0 || !Number.isInteger(stepIndex) || stepIndex < 0) return undefined;
    return { workflowId: `${WORKFLOW_PREFIX}${text.slice(0, cut)}`, stepIndex };
  },
});

/** One review per message. */
export function reviewWorkflowId(guildId: string, messageId: string): string {
  return `${WORKFLOW_PREFIX}${guildId}:${messageId}`;
}
