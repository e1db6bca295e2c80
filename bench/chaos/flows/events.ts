// Events under chaos: an organiser runs /event create starting in three minutes with a reminder two minutes
// before; a member clicks Going. Expected: the member told "You're going.", and one reminder DM, whatever died
// when it fell due.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { buttonOf, clickIfShown, count, emptyTally, patience, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

interface EventRun {
  title: string;
  memberId: string;
  eventId?: string;
  going: boolean;
  /** What the organiser was told when the event was not created. */
  reply?: string;
  /** Times the organiser was told Steward could not reach its services, and ran the command again. */
  toldToRetry?: number;
}

/** How long an organiser told to "try again in a minute" waits. */
const RETRY_AFTER_MS = 30_000;

export function eventsFlow(context: ChaosContext, channelId: string): ChaosFlow {
  const { world } = context;
  const { driver } = world.sandbox;
  const runs: EventRun[] = [];
  const reminders = (run: EventRun) =>
    driver.dmsFor(run.memberId).filter((message) => String((message as { content?: string }).content ?? '').startsWith(`Reminder: **${run.title}**`)).length;

  return {
    name: 'events and reminders',
    async run() {
      const memberId = driver.createUser({ username: `attendee-${randomUUID().slice(0, 6)}` }).id;
      driver.addMember(world.guildId, memberId);
      const run: EventRun = { title: `Chaos meetup ${randomUUID().slice(0, 6)}`, memberId, going: false };
      runs.push(run);
      // An organiser told that Steward cannot reach its services does what the message asks: tries again a bit later.
      while (!run.eventId && Date.now() < patience.until) {
        const command = driver.runSlashCommand(world.ownerId, world.guildId, channelId, 'event create', { title: run.title, start: 'in 3 minutes', reminders: '2m' } as never);
        const answered = (message: MessageLike) => message.content?.startsWith(`Event **${run.title}**`) || message.content?.startsWith('Something went wrong') || message.content?.startsWith('Steward cannot reach');
        const reply = await waitUntil(() => (command.responses() as unknown as MessageLike[]).find(answered), PATIENTLY);
        run.eventId = /id `([a-z0-9]+)`/.exec(reply?.content ?? '')?.[1];
        if (run.eventId) break;
        run.reply = JSON.stringify((command.responses() as unknown as MessageLike[]).map((message) => message.content ?? message.embeds?.[0]?.title));
        if (!reply?.content?.startsWith('Steward cannot reach')) return;
        run.toldToRetry = (run.toldToRetry ?? 0) + 1;
        await sleep(RETRY_AFTER_MS);
      }
      if (!run.eventId) return;
      const card = await waitUntil(() => (driver.channelMessages(channelId) as unknown as MessageLike[]).find((message) => message.embeds?.[0]?.footer?.text.startsWith(`Event ${run.eventId} `)), PATIENTLY);
      const going = card && buttonOf(card, 'Going');
      if (!card || !going) return;
      while (!run.going && Date.now() < patience.until) {
        const click = clickIfShown(world, memberId, channelId, card.id, going);
        if (!click) break;
        run.going = (await waitUntil(() => ((click.responses() as unknown as MessageLike[]).some((message) => message.content === "You're going.") ? true : undefined), 30_000)) ?? false;
      }
    },
    async pending() {
      return runs.filter((run) => run.going && reminders(run) === 0).length;
    },
    async verify() {
      const tally = emptyTally('events and reminders', runs.length);
      for (const run of runs) {
        const sent = reminders(run);
        count(tally, 'reminder DMs', sent);
        count(tally, 'creates retried after an outage message', run.toldToRetry ?? 0);
        if (run.going && sent === 1) {
          tally.completed++;
          continue;
        }
        if (sent > 1) tally.duplicated++;
        else tally.lost++;
        tally.problems.push(`event "${run.title}" (${run.eventId ?? `never created; the organiser saw ${run.reply}`}): going ${run.going}, reminders ${sent}`);
      }
      return tally;
    },
  };
}
