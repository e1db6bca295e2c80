// What every chaos flow shares: the sandbox's Discord as members see it, Steward's HTTP API as another system calls
// it, the database to count what was written, and the tally each flow fills in.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { World } from '../../../test/sandbox/world.js';
import type { TestDatabase } from '../../../test/support/database.js';
import type { PlatformServer } from '../../../test/support/platform-server.js';

export interface ChaosPeople {
  /** Holds the approver role: decides approvals and lifts lockdowns. */
  approver: string;
  /** Asks for approvals (an approver may not approve their own request). */
  requester: string;
  /** Holds the direct-action moderation role. */
  moderator: string;
}

export interface ChaosChannels {
  approvals: string;
  raidAlerts: string;
  digest: string;
  /** The channels a lockdown locks. */
  locked: string[];
}

export interface ChaosContext {
  world: World;
  /** For the post-mortem of a run the counts flag: its workflow's history. */
  temporal: Client;
  db: TestDatabase;
  platform: PlatformServer;
  people: ChaosPeople;
  channels: ChaosChannels;
  roles: { muted: string; approverRole: string; moderatorRole: string };
  /** Steward's HTTP API, retried as a client would while Steward answers 5xx or cannot be reached. */
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/**
 * A list Steward's HTTP API answers with (`field` of its body). Anything but a 200 with that list throws, naming
 * the answer, so a verifier counts the run as unverifiable instead of crashing the whole count.
 */
export async function apiList<T>(context: ChaosContext, path: string, field: string): Promise<T[]> {
  const { status, body } = await context.api<Record<string, unknown> | undefined>('GET', path);
  const list = body?.[field];
  if (status !== 200 || !Array.isArray(list)) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body ?? null).slice(0, 200)}`);
  return list as T[];
}

/** What users would count for one flow: each thing expected once, and what was lost, doubled or left half-done. */
export interface FlowTally {
  flow: string;
  runs: number;
  /** Runs that reached their end, as the member or system saw it. */
  completed: number;
  /** Runs whose outcome, by the flow's rules, was a clear refusal the user saw (an outage no retry outlasted). */
  toldTheUser: number;
  lost: number;
  duplicated: number;
  halfDone: number;
  /** What was counted, in numbers: records, messages, DMs, bans, role changes. */
  counted: Record<string, number>;
  /** One line per run that went wrong, for the report. */
  problems: string[];
}

export interface ChaosFlow {
  name: string;
  /** Drives one run as its users would; never throws (what went wrong shows in `verify`). */
  run(index: number): Promise<void>;
  /** Runs whose outcome is still to come after `run` returned (a reminder, an unmute), for the settling wait. */
  pending?(): Promise<number>;
  /** Counts every run's outcome once the system has settled. */
  verify(): Promise<FlowTally>;
}

export function emptyTally(flow: string, runs: number): FlowTally {
  return { flow, runs, completed: 0, toldTheUser: 0, lost: 0, duplicated: 0, halfDone: 0, counted: {}, problems: [] };
}

export function count(tally: FlowTally, what: string, by = 1): void {
  tally.counted[what] = (tally.counted[what] ?? 0) + by;
}

/**
 * How long simulated members keep at it: through the whole kill phase (a worker is up only part of the time, so a
 * click can wait minutes), then until the settling deadline the runner sets when the kills stop. Giving up earlier
 * would count as lost what was only slow.
 */
export const patience = { until: Number.POSITIVE_INFINITY };
export const PATIENTLY = 'patiently';

/** Polls until `probe` returns a value; undefined when the time runs out (a chaos run waits, it does not fail). */
export async function waitUntil<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number | typeof PATIENTLY, everyMs = 250): Promise<T | undefined> {
  const deadline = () => (timeoutMs === PATIENTLY ? patience.until : started + timeoutMs);
  const started = Date.now();
  for (; Date.now() < deadline(); await sleep(everyMs)) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // A probe that reads Steward's API can fail while the database is cut: try again.
    }
  }
  return undefined;
}

export interface MessageLike {
  id: string;
  content?: string;
  channel_id?: string;
  embeds?: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] }[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

/**
 * Clicks a button the member saw, as they would; undefined when the card moved on meanwhile (the button is gone: the
 * request expired, the event started), which the flow's verify then judges.
 */
export function clickIfShown(world: World, userId: string, channelId: string, messageId: string, customId: string): ReturnType<World['sandbox']['driver']['clickButton']> | undefined {
  try {
    return world.sandbox.driver.clickButton(userId, channelId, messageId, customId);
  } catch {
    return undefined;
  }
}

export function buttonOf(card: MessageLike, label: string | RegExp): string | undefined {
  return card.components
    ?.flatMap((row) => row.components)
    .find((component) => (typeof label === 'string' ? component.label === label : label.test(component.label)))?.custom_id;
}

/** A workflow's history in brief (workflow-task events left out), for a problem line. */
export async function historyInBrief(context: ChaosContext, workflowId: string): Promise<string> {
  try {
    const history = await context.temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .map((event) => Object.keys(event).find((key) => key.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '') ?? '?')
      .filter((kind) => !kind.startsWith('workflowTask'))
      .join(' ');
  } catch (error) {
    return `no history: ${String(error)}`;
  }
}
