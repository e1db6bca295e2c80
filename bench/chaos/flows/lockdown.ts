// Raid lockdown under chaos: 30 new accounts join within five seconds; Steward locks the chosen channels (slowmode),
// posts one alert card and times the raiders out; an approver clicks Lift. Expected: one alert card per raid, every
// raider timed out, and the channels restored exactly as they were. One raid at a time (one lockdown per server).
import { buttonOf, clickIfShown, count, emptyTally, patience, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

const RAIDERS = 30;

interface RaidRun {
  startedAt: string;
  raiders: string[];
  before: string;
  lifted: boolean;
  alertCards: number;
  /** What the approver was told by the latest Lift clicks, for the post-mortem of a raid that did not lift. */
  clickAnswers: string[];
}

export function lockdownFlow(context: ChaosContext): ChaosFlow {
  const { world, people, channels } = context;
  const { driver } = world.sandbox;
  const runs: RaidRun[] = [];
  const channelState = () =>
    JSON.stringify(
      channels.locked.map((id) => {
        const channel = driver.channel(id) as unknown as { rate_limit_per_user?: number; permission_overwrites?: unknown[] };
        return { slowmode: channel.rate_limit_per_user ?? 0, overwrites: channel.permission_overwrites ?? [] };
      }),
    );
  const cards = () =>
    (driver.channelMessages(channels.raidAlerts) as unknown as MessageLike[]).filter((message) => /^Lockdown/.test(message.embeds?.[0]?.footer?.text ?? ''));
  const timedOut = (memberId: string) => Boolean((driver.member(world.guildId, memberId) as { communication_disabled_until?: string | null } | undefined)?.communication_disabled_until);

  return {
    name: 'raid lockdown',
    async run() {
      const cardsBefore = cards().length;
      const run: RaidRun = { startedAt: new Date().toISOString(), raiders: [], before: channelState(), lifted: false, alertCards: 0, clickAnswers: [] };
      runs.push(run);
      run.raiders = await driver.joinBurst(world.guildId, { count: RAIDERS, accountAgeDays: 0.2, intervalMs: 160, namePrefix: 'raider' });
      const alert = await waitUntil(() => {
        const card = cards()[cardsBefore];
        return card && buttonOf(card, 'Lift') ? card : undefined;
      }, PATIENTLY);
      if (!alert) return;
      // The approver lifts once the card shows the raid handled: every raider timed out (a lift ends the lockdown's
      // work, timeouts still to come included).
      await waitUntil(() => (run.raiders.every(timedOut) ? true : undefined), PATIENTLY);
      while (!run.lifted && Date.now() < patience.until) {
        const click = clickIfShown(world, people.approver, channels.raidAlerts, alert.id, buttonOf(alert, 'Lift')!);
        if (!click) break;
        run.lifted = (await waitUntil(() => (cards().some((card, index) => index >= cardsBefore && card.embeds?.[0]?.title === 'Lockdown lifted') ? true : undefined), 60_000)) ?? false;
        const answers = (click.responses() as unknown as MessageLike[]).map((message) => message.content ?? message.embeds?.[0]?.title ?? '(card)');
        run.clickAnswers = [...run.clickAnswers, answers.join(' / ') || '(no answer)'].slice(-3);
      }
      // The restore runs after the card says so; the next raid starts from the restored server.
      await waitUntil(() => (channelState() === run.before ? true : undefined), PATIENTLY);
      run.alertCards = cards().length - cardsBefore;
    },
    async verify() {
      const tally = emptyTally('raid lockdown', runs.length);
      for (const run of runs) {
        const raidersTimedOut = run.raiders.filter(timedOut).length;
        count(tally, 'alert cards', run.alertCards);
        count(tally, 'raiders timed out', raidersTimedOut);
        const restored = runs.at(-1) === run ? channelState() === run.before : true;
        if (run.lifted && run.alertCards === 1 && raidersTimedOut === run.raiders.length && restored) {
          tally.completed++;
          continue;
        }
        if (run.alertCards > 1) tally.duplicated++;
        else if (!run.lifted) tally.lost++;
        else tally.halfDone++;
        const card = cards().at(-1)?.embeds?.[0]?.title;
        tally.problems.push(`raid at ${run.startedAt}: lifted ${run.lifted}, alert cards ${run.alertCards}, raiders timed out ${raidersTimedOut}/${run.raiders.length}, restored ${restored}, latest card "${card}", Lift answers ${JSON.stringify(run.clickAnswers)}`);
      }
      return tally;
    },
  };
}
