// Raid protection's detectors on their own, in a process started with --expose-gc (bench/raid.ts runs it): joins
// and messages per second through the join-rate and spam detectors, and the memory they hold for 1,000 servers.
// Prints one JSON line.
import { JoinRateDetector } from '../src/features/raid/detection/join-rate.js';
import { DEFAULT_SPAM_RULES, SpamDetector } from '../src/features/raid/detection/spam.js';

const SERVERS = 1_000;
const MEMBERS_PER_SERVER = 50;
const CHANNELS_PER_SERVER = 5;
const EVENTS = 1_000_000;
const DAY = 86_400_000;
const joinRules = { joinThreshold: 10, joinWindowSeconds: 10, youngAccountDays: 7 };
/** Organic chat: every line its own (a counter makes it so), some with a link or a mention. */
const texts = ['hey, anyone around?', 'check https://example.com/page for details', 'lol', 'meeting moved to 6pm tomorrow', 'thanks <@123> for the help!'];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with --expose-gc');
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const joins = new JoinRateDetector();
const spam = new SpamDetector();
const heapBefore = heap();
const start = Date.now();
let raids = 0;
let strikes = 0;
const began = performance.now();
for (let index = 0; index < EVENTS; index++) {
  // A busy hour compressed: each server gets a message every ~100 ms and a join every ~2 s of simulated time.
  const at = start + index;
  const server = index % SERVERS;
  const guildId = `g${server}`;
  if (index % 20 === 0) {
    if (joins.record({ guildId, userId: `new${index}`, at, accountCreatedAt: at - 400 * DAY }, joinRules)) raids++;
  } else {
    const member = (index >> 10) % MEMBERS_PER_SERVER;
    const verdict = spam.check(
      { guildId, channelId: `c${server}:${index % CHANNELS_PER_SERVER}`, authorId: `m${member}`, content: `${texts[index % texts.length]!} (${index})`, mentionCount: index % 7 === 0 ? 1 : 0, attachmentCount: 0, at },
      DEFAULT_SPAM_RULES,
    );
    if (verdict.raid) raids++;
    if (verdict.strike) strikes++;
  }
}
const seconds = (performance.now() - began) / 1000;
const heapAfter = heap();
console.log(
  JSON.stringify({
    events: EVENTS,
    eventsPerSecond: Math.round(EVENTS / seconds),
    microsecondsPerEvent: Math.round(((seconds * 1e6) / EVENTS) * 100) / 100,
    servers: SERVERS,
    membersTracked: spam.size.members,
    heapKiBPer1000Servers: Math.round((heapAfter - heapBefore) / 1024 / (SERVERS / 1000)),
    raidsDetected: raids,
    strikes,
  }),
);
