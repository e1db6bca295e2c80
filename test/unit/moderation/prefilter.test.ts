// The pre-filter picks candidates with whole-word lists, server patterns, invite links, mass mentions and repeats;
// ordinary messages pass untouched.
import { compileRules, Prefilter, type MessageToCheck } from '../../../src/features/moderation/automod/prefilter.js';
import { automodRulesSchema } from '../../../src/features/moderation/automod/rules.js';

const rules = compileRules(automodRulesSchema.parse({ enabled: true, words: ['scam', 'free nitro'], patterns: ['(buy|sell) accounts?'], maxMentions: 4, repeatLimit: 3 }));
const message = (content: string, extra: Partial<MessageToCheck> = {}): MessageToCheck => ({ guildId: 'g', authorId: 'a', content, mentionCount: 0, at: 0, ...extra });

test('ordinary messages are not candidates', () => {
  const prefilter = new Prefilter();
  for (const content of ['good morning', 'the class starts at 9', 'scamper over here', 'see discord.com/developers']) {
    expect(prefilter.check(message(content, { authorId: content }), rules)).toBeUndefined();
  }
});

test.each([
  ['this is a SCAM', ['word'], ['SCAM']],
  ['get Free Nitro now', ['word'], ['Free Nitro']],
  ['I sell accounts cheap', ['pattern'], ['sell accounts']],
  ['join discord.gg/abc123', ['invite'], ['discord.gg/abc123']],
  ['see https://discord.com/invite/xyz', ['invite'], ['discord.com/invite/xyz']],
])('"%s" is a candidate for %j', (content, reasons, matched) => {
  expect(new Prefilter().check(message(content), rules)).toEqual({ reasons, matched });
});

test('mass mentions are a candidate from the server\'s threshold', () => {
  const prefilter = new Prefilter();
  expect(prefilter.check(message('hi all', { mentionCount: 3 }), rules)).toBeUndefined();
  expect(prefilter.check(message('hi all!', { mentionCount: 4 }), rules)?.reasons).toEqual(['mentions']);
});

test('the same text three times in a row within a minute is a candidate once', () => {
  const prefilter = new Prefilter();
  const results = [0, 1_000, 2_000, 3_000].map((at) => prefilter.check(message('buy my stuff', { at }), rules)?.reasons);
  expect(results).toEqual([undefined, undefined, ['repeat'], undefined]);
  // Spread over more than a minute, it is not a repeat.
  const slow = new Prefilter();
  expect([0, 61_000, 122_000].map((at) => slow.check(message('hello', { at }), rules))).toEqual([undefined, undefined, undefined]);
});
