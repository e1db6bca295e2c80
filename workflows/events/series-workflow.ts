// A recurring series (`series:<guild>:<series>`): each run creates one occurrence, its own event workflow with its
// own answers, when that occurrence comes within the announcement horizon, then continues as new for the next;
// so the series' history stays a few events long however many weeks it runs. Stopping it creates no more.
import { ParentClosePolicy, condition, continueAsNew, proxyActivities, setHandler, startChild } from '@temporalio/workflow';
import type { EventsActivities } from '../../activities/events/index.js';
import { eventOccurrence } from './event-workflow.js';
import { eventSummary, eventWorkflowId, occurrenceEventId, seriesOwner, stopSeries, type EventInput, type SeriesInput } from './messages.js';
import { flowSearchAttributes } from '../shared/search-attributes.js';
import { clock, showDetails } from '../shared/details.js';

const io = proxyActivities<EventsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Occurrences are announced this long before they start. */
const HORIZON_MS = 14 * 86_400_000;

export async function eventSeries(input: SeriesInput): Promise<string> {
  let stoppedBecause: string | undefined;
  setHandler(seriesOwner, () => ({ organiserId: input.organiserId, managerRoleIds: input.managerRoleIds }));
  setHandler(stopSeries, ({ reason }) => {
    stoppedBecause = reason;
  });
  const startsAt = await io.occurrenceStart({ firstStartsAt: input.template.startsAt, timeZone: input.template.timeZone, rule: input.rule, index: input.index });
  const announceAt = startsAt - HORIZON_MS;
  showDetails(`Occurrence ${input.index + 1} starts at ${clock(startsAt, Date.now())}; announced at ${clock(Math.max(announceAt, Date.now()), Date.now())}`);
  if (announceAt > Date.now()) await condition(() => stoppedBecause !== undefined, announceAt - Date.now());
  if (stoppedBecause !== undefined) return `stopped: ${stoppedBecause}`;
  const eventId = occurrenceEventId(input.seriesId, input.index);
  try {
    const occurrence: EventInput = { guildId: input.guildId, eventId, organiserId: input.organiserId, managerRoleIds: input.managerRoleIds, seriesId: input.seriesId, details: { ...input.template, startsAt } };
    await startChild(eventOccurrence, {
      workflowId: eventWorkflowId(input.guildId, eventId),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [occurrence],
      staticSummary: eventSummary(occurrence),
      typedSearchAttributes: flowSearchAttributes({ kind: 'event', guildId: input.guildId, memberIds: [input.organiserId] }),
    });
  } catch (error) {
    // A run that crashed after starting it: the occurrence exists; the series goes on.
    if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
  }
  return continueAsNew<typeof eventSeries>({ ...input, index: input.index + 1 });
}
