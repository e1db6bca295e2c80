// Schedules a feature keeps in the Temporal server (visible and controllable in the Web UI): created at start-up
// when missing, brought in line with the code when they differ, so the running set always equals the manifests'.
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export interface ScheduleDefinition {
  scheduleId: string;
  workflow: Workflow | string;
  args: unknown[];
  /** What each run does, in words: the Web UI's summary of the runs it starts. */
  summary: string;
  /** Calendar entries, as Temporal's ScheduleSpec reads them (e.g. `{ hour: 3, minute: 17 }` daily). */
  calendars: NonNullable<ScheduleOptions['spec']['calendars']>;
  timezone?: string;
  /** How late a missed run (the server was down) may still be taken. */
  catchupWindow?: string;
}

/** One deployment (one task queue) keeps one of each schedule: `<id>@<task queue>`. */
export function scheduleIdFor(scheduleId: string, taskQueue: string): string {
  return `${scheduleId}@${taskQueue}`;
}

export async function ensureSchedules(client: Client, taskQueue: string, schedules: readonly ScheduleDefinition[]): Promise<void> {
  for (const schedule of schedules) {
    const scheduleId = scheduleIdFor(schedule.scheduleId, taskQueue);
    const options = {
      scheduleId,
      spec: { calendars: schedule.calendars, ...(schedule.timezone ? { timezone: schedule.timezone } : {}) },
      action: {
        type: 'startWorkflow' as const,
        workflowType: schedule.workflow,
        args: schedule.args,
        taskQueue,
        // The server appends the nominal time: one run per slot, whatever retries the schedule makes.
        workflowId: scheduleId,
        staticSummary: schedule.summary,
      },
      policies: { overlap: 'SKIP' as const, catchupWindow: schedule.catchupWindow ?? '1 day' },
    } satisfies ScheduleOptions;
    try {
      await client.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(scheduleId).update((current) => ({ ...current, spec: options.spec, action: options.action, policies: options.policies }));
    }
  }
}
