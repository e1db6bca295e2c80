// What /config digest, /digest and the HTTP API do alike: save settings (refusing a channel Steward cannot post in)
// and bring the Schedule in line; pause and resume; preview; the status an operator reads.
import type { REST } from '@discordjs/rest';
import { postWeeklyDigest } from '../../../workflows/digests/digest-workflow.js';
import { digestPreviewWorkflowId, type DigestDelivery, type DigestOutcome } from '../../../workflows/digests/messages.js';
import type { Database } from '../../db/database.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import { describeDigestSchedule, digestScheduleHandle, syncDigestSchedule, type DigestScheduling } from './schedule.js';
import { DAY_NAMES, digestChannelProblem, digestSettings, saveDigestSettings, type DigestSettings } from './settings.js';

export interface DigestControl {
  database: Database;
  flows: FlowStarter;
  scheduling: DigestScheduling;
  discord?: REST | undefined;
}

/** Saves the settings and follows them with the Schedule; a problem (the channel) is returned and nothing saved. */
export async function applyDigestSettings(control: DigestControl, guildId: string, settings: DigestSettings): Promise<{ saved: DigestSettings } | { problem: string }> {
  const problem = settings.enabled ? await digestChannelProblem(control.discord, guildId, settings) : undefined;
  if (problem) return { problem };
  const saved = await control.database.transaction((em) => saveDigestSettings(em, guildId, settings));
  await syncDigestSchedule(control.scheduling, guildId, saved);
  return { saved };
}

/** Pauses or resumes the Schedule; false when the server has none (digests are off). */
export async function setDigestPaused(control: DigestControl, guildId: string, paused: boolean, by: string): Promise<boolean> {
  const schedule = await describeDigestSchedule(control.scheduling, guildId);
  if (!schedule) return false;
  const handle = digestScheduleHandle(control.scheduling, guildId);
  if (paused) await handle.pause(`Paused by ${by}`);
  else await handle.unpause(`Resumed by ${by}`);
  return true;
}

/** Builds this week's digest now, for a member's eyes (`preview`) or the caller's (`return`); nothing is posted. */
export async function previewDigest(control: DigestControl, guildId: string, cause: string, delivery: Exclude<DigestDelivery, { kind: 'post' }>): Promise<DigestOutcome> {
  const { handle } = await control.flows.start(postWeeklyDigest, {
    workflowId: digestPreviewWorkflowId(guildId, cause),
    args: [{ guildId, intervalSeconds: control.scheduling.intervalSeconds ?? 7 * 86_400, delivery }],
    kind: 'digest-preview',
    guildId,
    summary: `A preview of this week's digest for the HTTP API (${cause})`,
  });
  return handle.result();
}

export interface DigestStatus {
  settings: DigestSettings;
  schedule: { paused: boolean; note: string | null; nextRuns: string[]; recentRuns: { scheduledAt: string; workflowId: string }[] } | null;
}

export async function digestStatus(control: DigestControl, guildId: string): Promise<DigestStatus> {
  const [settings, schedule] = await Promise.all([digestSettings(control.database.fork(), guildId), describeDigestSchedule(control.scheduling, guildId)]);
  return {
    settings,
    schedule: schedule
      ? {
          paused: schedule.state.paused,
          note: schedule.state.note ?? null,
          nextRuns: schedule.info.nextActionTimes.map((time) => time.toISOString()),
          recentRuns: schedule.info.recentActions.map((action) => ({ scheduledAt: action.scheduledAt.toISOString(), workflowId: action.action.type === 'startWorkflow' ? action.action.workflow.workflowId : '' })),
        }
      : null,
  };
}

export function describeDigestSettings(settings: DigestSettings, status?: DigestStatus['schedule']): string {
  const when = `${DAY_NAMES[settings.dayOfWeek]}s at ${String(settings.hour).padStart(2, '0')}:00 (${settings.timeZone})`;
  const lines = [
    settings.enabled && settings.channelId ? `Weekly digest: on, in <#${settings.channelId}>, ${when}` : `Weekly digest: off (${when} once a channel is set and it is turned on)`,
    `Summary paragraph by a model: ${settings.llmSummary ? 'on' : 'off'}`,
    `Failures reported in: ${settings.alertChannelId ? `<#${settings.alertChannelId}>` : 'nowhere (set alert-channel)'}`,
  ];
  if (status) lines.push(status.paused ? `Paused${status.note ? `: ${status.note}` : ''}` : `Next: ${status.nextRuns[0] ? `<t:${Math.floor(Date.parse(status.nextRuns[0]) / 1000)}:F>` : '—'}`);
  return lines.join('\n');
}
