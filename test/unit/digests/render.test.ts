// The digest's messages within Discord's limits: 10 embeds and 6,000 characters a message, 4,096 a description.
import { renderDigest } from '../../../workflows/digests/render.js';

const period = { from: '2026-11-23T08:00:00.000Z', to: '2026-11-30T08:00:00.000Z', timeZone: 'Europe/Berlin' };

test('a week with many long sections is split across messages, each within the limits', () => {
  const sections = Array.from({ length: 14 }, (_, index) => ({ title: `Section ${index}`, lines: Array.from({ length: 40 }, (_, line) => `Line ${line} of section ${index}: ${'x'.repeat(60)}`) }));
  const messages = renderDigest({ ...period, sections, summary: { text: 'A busy week.', writtenBy: 'offline' }, missing: ['events'] });
  expect(messages.length).toBeGreaterThan(2);
  for (const message of messages) {
    expect(message.embeds.length).toBeLessThanOrEqual(10);
    const characters = message.embeds.reduce((sum, embed) => sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0), 0);
    expect(characters).toBeLessThanOrEqual(6000);
    for (const embed of message.embeds) expect(embed.description!.length).toBeLessThanOrEqual(4096);
  }
  const all = messages.flatMap((message) => message.embeds);
  expect(all.map((embed) => embed.title)).toEqual(['🗞️ Weekly digest · 23 Nov – 30 Nov 2026', '✨ Summary', ...sections.map((section) => section.title)]);
  expect(all[0]!.footer?.text).toBe('Not included this time: events');
});

test('a section too long for one embed keeps whole lines and says how many were left out', () => {
  const lines = Array.from({ length: 200 }, (_, index) => `Member ${index} ${'y'.repeat(40)}`);
  const [message] = renderDigest({ ...period, sections: [{ title: 'Long', lines }], summary: null, missing: [] });
  const description = message!.embeds[1]!.description!;
  expect(description.length).toBeLessThanOrEqual(4096);
  expect(description).toMatch(/\n…and \d+ more$/);
  expect(description.split('\n').slice(0, -1).every((line) => lines.includes(line))).toBe(true);
});

test('an empty week is a quiet digest', () => {
  expect(renderDigest({ ...period, sections: [], summary: null, missing: [] })).toEqual([
    { embeds: [{ title: '🗞️ Weekly digest · 23 Nov – 30 Nov 2026', description: 'A quiet week: nothing to report.', color: 0x5865f2 }] },
  ]);
});
