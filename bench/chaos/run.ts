// `npm run chaos`: every flow, run as its users would, on the production topology while workers are SIGKILLed at
// random, the Temporal server restarts, PostgreSQL is cut, Discord answers 10 % of REST calls with 429 or 5xx and
// the LLM and Q2Q go down. Then it waits for the system to settle and counts what users would count. Writes
// bench/results/chaos.json; exits non-zero when anything was lost, duplicated or left half-done.
//   CHAOS_KILLS (default 1000): worker kills to reach; CHAOS_MAX_MINUTES (default 60): the kill phase's limit.
import { setTimeout as sleep } from 'node:timers/promises';
import { summarize, writeResults } from '../stats.js';
import { approvalsFlow } from './flows/approvals.js';
import { patience, type ChaosFlow, type FlowTally } from './flows/context.js';
import { digestsFlow } from './flows/digests.js';
import { eventsFlow } from './flows/events.js';
import { feedbackFlow } from './flows/feedback.js';
import { lockdownFlow } from './flows/lockdown.js';
import { moderationTimersFlow } from './flows/moderation-timers.js';
import { recordReviewFlow } from './flows/record-review.js';
import { random, runFaultTimeline, startKilling } from './monkey.js';
import { DIGEST_INTERVAL_SECONDS, startChaosStack } from './stack.js';

const KILLS_WANTED = Number(process.env.CHAOS_KILLS ?? 1_000);
const MAX_KILL_PHASE_MS = Number(process.env.CHAOS_MAX_MINUTES ?? 60) * 60_000;
const DISCORD_FAULT_SHARE = 0.1;
const SETTLE_MS = 12 * 60_000;
/**
 * Workflows that rightly outlive the run: an event stays open until it has ended; a channel's record announcements
 * stay open an hour after their last record to recognise repeats.
 */
const LONG_LIVED = new Set(['eventOccurrence', 'recordNotifications']);

const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

const stack = await startChaosStack(log);
let failed = true;
try {
  const { context, flowChannels } = stack;
  const flows = {
    review: recordReviewFlow(context, flowChannels.workshop),
    approvals: approvalsFlow(context),
    moderation: moderationTimersFlow(context),
    events: eventsFlow(context, flowChannels.events),
    lockdown: lockdownFlow(context),
    feedback: feedbackFlow(context, flowChannels.talk),
    digests: digestsFlow(context, stack.digestSubscriber),
  };
  /** Seconds between two runs of a flow (on average; one raid at a time). */
  const cadenceSeconds: [ChaosFlow, number][] = [
    [flows.review, 8],
    [flows.approvals, 10],
    [flows.moderation, 10],
    [flows.events, 12],
    [flows.feedback, 6],
  ];

  const { faults: discordFaults } = context.world.sandbox;
  discordFaults.rateLimit('*', { probability: DISCORD_FAULT_SHARE / 2, retryAfterMs: 500 });
  discordFaults.serverError('*', { probability: DISCORD_FAULT_SHARE / 2, status: 502 });
  // Counted as the calls happen (the sandbox's REST log keeps only the latest 10,000): all calls, and all 429s.
  const restCalls = { total: 0, tooManyRequests: 0 };
  const stopCounting = context.world.sandbox.driver.on('rest', (entry) => {
    restCalls.total++;
    if (entry.status === 429) restCalls.tooManyRequests++;
  });

  log(`kill phase: ${KILLS_WANTED} kills wanted, at most ${MAX_KILL_PHASE_MS / 60_000} minutes`);
  const startedAt = Date.now();
  const killing = startKilling(stack, KILLS_WANTED);
  const killPhaseOver = () => killing.kills.total >= KILLS_WANTED || Date.now() - startedAt > MAX_KILL_PHASE_MS;
  const faultTimeline = runFaultTimeline(stack, killPhaseOver, log);
  const runs: Promise<void>[] = [];
  const launchers = cadenceSeconds.map(async ([flow, seconds]) => {
    for (let index = 0; !killPhaseOver(); index++) {
      runs.push(flow.run(index).catch((error: unknown) => log(`${flow.name} run ${index} threw: ${String(error)}`)));
      await sleep(random(0.5, 1.5) * seconds * 1000);
    }
  });
  const raids = (async () => {
    for (let index = 0; !killPhaseOver(); index++) {
      await flows.lockdown.run(index).catch((error: unknown) => log(`raid ${index} threw: ${String(error)}`));
      await sleep(5_000);
    }
  })();
  const progress = setInterval(() => log(`kills ${killing.kills.total} (running ${killing.kills.whileRunning}, starting ${killing.kills.whileStarting}); runs started ${runs.length}`), 30_000);
  await Promise.all(launchers);
  clearInterval(progress);
  const killPhaseSeconds = (Date.now() - startedAt) / 1000;
  log(`kill phase over after ${Math.round(killPhaseSeconds)} s: ${killing.kills.total} kills; settling`);
  await killing.stop();
  const faults = await faultTimeline;
  discordFaults.clear();
  stopCounting();

  // Settling: every run driven to its end, the outcomes still to come (reminders, unmutes) arrived, no digest
  // started any more and the last one finished.
  const settleDeadline = Date.now() + SETTLE_MS;
  patience.until = settleDeadline;
  await Promise.race([Promise.all([...runs, raids]), sleep(SETTLE_MS)]);
  await context.api('POST', '/digest/pause');
  const everyFlow: ChaosFlow[] = Object.values(flows);
  while (Date.now() < settleDeadline) {
    const waiting = (await Promise.all(everyFlow.map((flow) => flow.pending?.() ?? 0))).reduce((sum, n) => sum + n, 0);
    const digesting = (await stack.temporal.workflow.count(`TaskQueue = '${stack.taskQueue}' AND WorkflowType = 'postWeeklyDigest' AND ExecutionStatus = 'Running'`)).count;
    if (waiting === 0 && digesting === 0) break;
    log(`settling: ${waiting} outcomes to come, ${digesting} digests running`);
    await sleep(10_000);
  }
  // Long enough for a duplicate from a late retry to show.
  await sleep(15_000);
  const settleSeconds = (Date.now() - settleDeadline + SETTLE_MS) / 1000;

  const tallies: FlowTally[] = [];
  for (const flow of everyFlow) tallies.push(await flow.verify());
  const workflows = await workflowOutcomes(stack);
  const totals = {
    runs: sum(tallies, 'runs'),
    completed: sum(tallies, 'completed'),
    toldTheUser: sum(tallies, 'toldTheUser'),
    lost: sum(tallies, 'lost'),
    duplicated: sum(tallies, 'duplicated'),
    halfDone: sum(tallies, 'halfDone') + workflows.unfinished.length,
  };
  const figures = {
    goal: { kills: 1_000, lost: 0, duplicated: 0 },
    goalMet: killing.kills.total >= 1_000 && totals.lost === 0 && totals.duplicated === 0 && totals.halfDone === 0,
    kills: killing.kills,
    workerStartupMs: summarize(killing.startupMs),
    faults: {
      ...faults,
      discord: {
        restCalls: restCalls.total,
        served429ByFault: discordFaults.injected.rateLimit,
        served5xxByFault: discordFaults.injected.serverError,
        served429ByRateLimits: restCalls.tooManyRequests - discordFaults.injected.rateLimit,
      },
    },
    totals,
    flows: Object.fromEntries(tallies.map(({ flow, problems, ...tally }) => [flow, { ...tally, problems: problems.slice(0, 20) }])),
    workflows,
    seconds: { killPhase: Math.round(killPhaseSeconds), settle: Math.round(settleSeconds) },
    setup: [
      'Production topology on this machine: the full Temporal server v1.29.1 on PostgreSQL (4 history shards), two Steward',
      'worker processes on one task queue, one adapters process (discord.js gateway + HTTP API), Steward\'s database behind',
      `a TCP proxy that cuts it; the sandbox's Discord with its rate limits on and ${DISCORD_FAULT_SHARE * 100} % of REST calls answered 429 or 502;`,
      'local Anthropic-compatible, Q2Q and volunteer-platform servers. Each worker is SIGKILLed at a random moment (15 % while',
      'starting, the rest 0.2-3 s after it is running) and replaced. Between 30 and 60 s apart, in turn: the LLM down 60 s,',
      'PostgreSQL cut 30 s, the Temporal server SIGKILLed and restarted, Q2Q down 60 s. Flows, as their users drive them:',
      'record review (2 suggestions, Create both), approvals (API request, Approve click, ban), a 20 s mute, /event create',
      'with a reminder and a Going click, /feedback, a 30-account raid lifted by an approver (one at a time), and the digest',
      `Schedule every ${DIGEST_INTERVAL_SECONDS} s with a DM subscriber. A member clicks again after 45 s without a change.`,
      'Counted after settling: records, bans, DMs, role writes, alert cards, platform events, digests per post.',
    ].join(' '),
  };
  const path = writeResults('chaos', figures);
  log(`wrote ${path}`);
  console.log(JSON.stringify({ kills: killing.kills, faults: figures.faults, totals, workflows: { ...workflows, unfinished: workflows.unfinished.slice(0, 10) } }, null, 2));
  failed = totals.lost > 0 || totals.duplicated > 0 || totals.halfDone > 0;
} finally {
  await stack.shutdown.unwind();
}
process.exit(failed ? 1 : 0);

function sum(tallies: FlowTally[], field: 'runs' | 'completed' | 'toldTheUser' | 'lost' | 'duplicated' | 'halfDone'): number {
  return tallies.reduce((total, tally) => total + tally[field], 0);
}

/** Every workflow of the run by type and status; a failed one, or one still open that should have ended, is half-done. */
async function workflowOutcomes(chaos: Awaited<ReturnType<typeof startChaosStack>>) {
  const byTypeAndStatus: Record<string, Record<string, number>> = {};
  const unfinished: string[] = [];
  for await (const execution of chaos.temporal.workflow.list({ query: `TaskQueue = '${chaos.taskQueue}'` })) {
    const status = execution.status.name;
    (byTypeAndStatus[execution.type] ??= {})[status] = (byTypeAndStatus[execution.type]?.[status] ?? 0) + 1;
    const stillOpenByRight = status === 'RUNNING' && LONG_LIVED.has(execution.type);
    if (status !== 'COMPLETED' && status !== 'CONTINUED_AS_NEW' && !stillOpenByRight) unfinished.push(`${execution.type} ${execution.workflowId} ${status}`);
  }
  return { byTypeAndStatus, unfinished };
}
