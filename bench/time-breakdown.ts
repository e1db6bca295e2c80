// Where a workflow's time goes, read from its history: waiting for a worker to take each workflow task (queueing in
// the server's matching), running the workflow code, waiting for a worker to take each activity, and running the
// activity (its database write or Discord call). Summed per workflow, summarised over many.
import type { Client } from '@temporalio/client';
import { summarize, type LatencySummary } from './stats.js';

export interface TimeBreakdown {
  total: LatencySummary;
  workflowTaskQueueing: LatencySummary;
  workflowTaskRunning: LatencySummary;
  activityQueueing: LatencySummary;
  activityRunning: LatencySummary;
}

const ms = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;

export async function timeBreakdown(client: Client, workflowIds: readonly string[]): Promise<TimeBreakdown> {
  const phases = { total: [] as number[], workflowTaskQueueing: [] as number[], workflowTaskRunning: [] as number[], activityQueueing: [] as number[], activityRunning: [] as number[] };
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const events = history.events ?? [];
    const at = new Map<number, number>();
    const sums = { workflowTaskQueueing: 0, workflowTaskRunning: 0, activityQueueing: 0, activityRunning: 0 };
    for (const event of events) {
      const time = ms(event.eventTime);
      at.set(Number(event.eventId), time);
      if (event.workflowTaskStartedEventAttributes) sums.workflowTaskQueueing += time - (at.get(Number(event.workflowTaskStartedEventAttributes.scheduledEventId)) ?? time);
      if (event.workflowTaskCompletedEventAttributes) sums.workflowTaskRunning += time - (at.get(Number(event.workflowTaskCompletedEventAttributes.startedEventId)) ?? time);
      if (event.activityTaskStartedEventAttributes) sums.activityQueueing += time - (at.get(Number(event.activityTaskStartedEventAttributes.scheduledEventId)) ?? time);
      if (event.activityTaskCompletedEventAttributes) sums.activityRunning += time - (at.get(Number(event.activityTaskCompletedEventAttributes.startedEventId)) ?? time);
    }
    phases.total.push(ms(events.at(-1)?.eventTime) - ms(events[0]?.eventTime));
    for (const [name, value] of Object.entries(sums)) phases[name as keyof typeof sums].push(value);
  }
  return {
    total: summarize(phases.total),
    workflowTaskQueueing: summarize(phases.workflowTaskQueueing),
    workflowTaskRunning: summarize(phases.workflowTaskRunning),
    activityQueueing: summarize(phases.activityQueueing),
    activityRunning: summarize(phases.activityRunning),
  };
}
