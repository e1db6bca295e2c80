// The raid detectors as pure functions: joins weighted by account age over a sliding window, and spam heat that
// cools every second, with strikes that grow and raids made of many members.
import { JoinRateDetector, joinWeight } from '../../../src/features/raid/detection/join-rate.js';
import { DEFAULT_SPAM_RULES, SpamDetector, type ChatMessage } from '../../../src/features/raid/detection/spam.js';

const DAY = 86_400_000;
const rules = { joinThreshold: 10, joinWindowSeconds: 10, youngAccountDays: 7 };
const start = 1_800_000_000_000;

test('a join weighs by account age: under a day double, under the young limit once, older half', () => {
  expect([joinWeight(DAY / 2, 7), joinWeight(3 * DAY, 7), joinWeight(30 * DAY, 7)]).toEqual([2, 1, 0.5]);
});

test('an hour of a join a second by aged accounts never trips the join detector', () => {
  const detector = new JoinRateDetector();
  const raids = Array.from({ length: 3600 }, (_, second) => detector.record({ guildId: 'g', userId: `u${second}`, at: start + second * 1000, accountCreatedAt: start - 400 * DAY }, rules)).filter(Boolean);
  expect(raids).toEqual([]);
});

test('30 new accounts in 5 s: one report when the threshold is crossed, the next only a window later', () => {
  const detector = new JoinRateDetector();
  const reports = Array.from({ length: 30 }, (_, index) => detector.record({ guildId: 'g', userId: `r${index}`, at: start + index * 170, accountCreatedAt: start - DAY / 4 }, rules));
  const reported = reports.flatMap((report, index) => (report ? [index] : []));
  expect(reported).toEqual([4]);
  expect(reports[4]).toEqual({ summary: '5 joins in 10 s (5 accounts younger than 7 days)', joinerIds: ['r0', 'r1', 'r2', 'r3', 'r4'] });
  const later = detector.record({ guildId: 'g', userId: 'late', at: start + 10_700, accountCreatedAt: start - DAY / 4 }, rules);
  expect(later?.summary).toMatch(/joins in 10 s/);
});

const message = (at: number, content: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({ guildId: 'g', channelId: 'c', authorId: 'm', content, mentionCount: 0, attachmentCount: 0, at, ...extra });

test('a member chatting every few seconds never heats up; a flood is a strike', () => {
  const detector = new SpamDetector();
  const chat = Array.from({ length: 200 }, (_, index) => detector.check(message(start + index * 3000, `message ${index}`), DEFAULT_SPAM_RULES));
  expect(chat.filter((verdict) => verdict.strike)).toEqual([]);
  const flood = Array.from({ length: 6 }, (_, index) => detector.check(message(start + 700_000 + index * 200, `flood ${index}`), DEFAULT_SPAM_RULES));
  expect(flood.map((verdict) => verdict.strike?.why)).toEqual([undefined, undefined, undefined, undefined, undefined, '6 messages in 5 s']);
});

test('strikes within a day time a member out for longer each time; heat cools by the second', () => {
  const detector = new SpamDetector();
  const links = 'https://a.example https://b.example';
  const strikes = [0, 60_000, 120_000].map((offset) => {
    for (let index = 0; index < 2; index++) detector.check(message(start + offset + index * 100, links), DEFAULT_SPAM_RULES);
    return detector.check(message(start + offset + 300, links), DEFAULT_SPAM_RULES).strike;
  });
  expect(strikes.map((strike) => [strike?.strike, strike?.timeoutMinutes])).toEqual([
    [1, 1],
    [2, 10],
    [3, 60],
  ]);
  expect(strikes[0]!.why).toMatch(/^spam heat/);
  // Six minutes of cooling later a single message is nothing.
  expect(detector.check(message(start + 600_000, 'hello again'), DEFAULT_SPAM_RULES).strike).toBeUndefined();
});

test('mass mentions are a strike at once; the same long text from four members is a raid, a short greeting is not', () => {
  const detector = new SpamDetector();
  expect(detector.check(message(start, 'hi all', { mentionCount: 5 }), DEFAULT_SPAM_RULES).strike?.why).toBe('5 mentions in one message');
  const greetings = ['a', 'b', 'c', 'd', 'e'].map((authorId, index) => detector.check(message(start + 1000 + index * 100, 'good morning everyone!', { authorId }), DEFAULT_SPAM_RULES));
  expect(greetings.filter((verdict) => verdict.raid)).toEqual([]);
  const copies = ['a', 'b', 'c', 'd'].map((authorId, index) => detector.check(message(start + 2000 + index * 100, 'FREE NITRO here  now: discord.gg/scam', { authorId }), DEFAULT_SPAM_RULES));
  expect(copies.map((verdict) => verdict.raid?.summary)).toEqual([undefined, undefined, undefined, 'the same message from 4 members within 30 s']);
});
