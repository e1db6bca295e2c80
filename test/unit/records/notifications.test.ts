// Record notifications: when a burst is posted, which records a server hears about (types, the echo rule), and a
// message that keeps to Discord's limits however many and however long the records are.
import { DISCORD_LIMITS, embedLength, limitViolations, truncate } from '../../../workflows/shared/discord-kit.js';
import {
  MAX_WAIT_MS,
  QUIET_MS,
  burstAuthorKey,
  chooseDestination,
  extendBurst,
  nextFlushAt,
  renderNotification,
  selectAnnounced,
  type NotificationContext,
  type RecordSummary,
} from '../../../workflows/records/notifications.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');

function record(overrides: Partial<RecordSummary> = {}): RecordSummary {
  return {
    id: 'rec-1',
    guildId: 'g1',
    recordType: 'problem_report',
    description: 'Flipper coil on machine 3 is dead',
    subjectId: 'm3',
    authorDiscordId: '200',
    origin: 'api',
    createdBy: 'ci',
    occurredAt: '2026-03-01T09:30:00.000Z',
    createdAt: '2026-03-01T10:00:00.000Z',
    sourceChannelIds: [],
    ...overrides,
  };
}

const context: NotificationContext = {
  typeLabels: { problem_report: 'Problem report', log_entry: 'Log entry' },
  subjectNames: { m3: 'Machine 3' },
  recordsUrl: 'https://records.example.org/r/',
};

describe('nextFlushAt', () => {
  test('defaults are 5 minutes of quiet and 15 minutes at most', () => {
    expect(QUIET_MS).toBe(5 * MINUTE);
    expect(MAX_WAIT_MS).toBe(15 * MINUTE);
  });

  test('a lone record is posted after the quiet period', () => {
    expect(nextFlushAt(extendBurst(undefined, T0))).toBe(T0 + 5 * MINUTE);
  });

  test('each new record moves the quiet deadline', () => {
    let burst = extendBurst(undefined, T0);
    burst = extendBurst(burst, T0 + 3 * MINUTE);
    expect(nextFlushAt(burst)).toBe(T0 + 8 * MINUTE);
  });

  test('a busy author is posted at most 15 minutes after the first record', () => {
    let burst = extendBurst(undefined, T0);
    for (let minute = 1; minute <= 14; minute++) burst = extendBurst(burst, T0 + minute * MINUTE);
    expect(burst).toEqual({ firstAt: T0, lastAt: T0 + 14 * MINUTE });
    expect(nextFlushAt(burst)).toBe(T0 + 15 * MINUTE);
  });

  test('timings come from the caller (tests shorten them)', () => {
    const burst = { firstAt: T0, lastAt: T0 + 2500 };
    expect(nextFlushAt(burst, { quietMs: 1000, maxWaitMs: 3000 })).toBe(T0 + 3000);
    expect(nextFlushAt({ firstAt: T0, lastAt: T0 + 500 }, { quietMs: 1000, maxWaitMs: 3000 })).toBe(T0 + 1500);
  });

  test('a late, out-of-order time never moves the burst back', () => {
    expect(extendBurst({ firstAt: T0, lastAt: T0 + MINUTE }, T0)).toEqual({ firstAt: T0, lastAt: T0 + MINUTE });
  });
});

describe('who a burst belongs to', () => {
  test('the reviewing member for Discord records, the token for API records', () => {
    expect(burstAuthorKey({ origin: 'discord', createdBy: '123' })).toBe('123');
    expect(burstAuthorKey({ origin: 'api', createdBy: 'ci' })).toBe('api:ci');
  });
});

describe('what is announced', () => {
  const channel = { kind: 'channel', channelId: 'feed' } as const;

  test('the channel wins over the webhook; nothing configured, no destination', () => {
    expect(chooseDestination({ notificationChannelId: 'feed', notificationWebhookUrl: 'https://x/webhooks/1/t' })).toEqual(channel);
    expect(chooseDestination({ notificationChannelId: null, notificationWebhookUrl: 'https://x/webhooks/1/t' })).toEqual({
      kind: 'webhook',
      url: 'https://x/webhooks/1/t',
    });
    expect(chooseDestination({ notificationChannelId: null, notificationWebhookUrl: null })).toBeUndefined();
  });

  test('notifyTypes null means all types; a list switches the others off', () => {
    const records = [record({ id: 'a' }), record({ id: 'b', recordType: 'log_entry' })];
    expect(selectAnnounced(records, { notifyTypes: null, destination: channel }).announced.map((r) => r.id)).toEqual(['a', 'b']);
    expect(selectAnnounced(records, { notifyTypes: ['log_entry'], destination: channel })).toEqual({
      announced: [records[1]],
      skipped: [{ id: 'a', reason: 'type_off' }],
    });
    expect(selectAnnounced(records, { notifyTypes: [], destination: channel }).announced).toEqual([]);
  });

  test('echo rule: a Discord record is not announced in the channel it came from, but is everywhere else', () => {
    const fromFeed = record({ id: 'a', origin: 'discord', createdBy: '9', sourceChannelIds: ['feed'] });
    const fromShop = record({ id: 'b', origin: 'discord', createdBy: '9', sourceChannelIds: ['shop'] });
    const fromApi = record({ id: 'c' });
    expect(selectAnnounced([fromFeed, fromShop, fromApi], { notifyTypes: null, destination: channel })).toEqual({
      announced: [fromShop, fromApi],
      skipped: [{ id: 'a', reason: 'echo' }],
    });
    // A webhook's channel is unknown before posting: it counts as elsewhere.
    const webhook = { kind: 'webhook', url: 'https://x/webhooks/1/t' } as const;
    expect(selectAnnounced([fromFeed], { notifyTypes: null, destination: webhook }).announced).toEqual([fromFeed]);
  });
});

describe('renderNotification', () => {
  test('a lone record gets a full embed: type label and subject, description, author, time, link', () => {
    const message = renderNotification([record()], context);
    expect(message.content).toBe('');
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds).toHaveLength(1);
    const [embed] = message.embeds;
    expect(embed).toMatchObject({
      title: 'Problem report — Machine 3',
      description: 'Flipper coil on machine 3 is dead',
      url: 'https://records.example.org/r/rec-1',
    });
    expect(embed?.fields).toEqual([
      { name: 'Author', value: '<@200>', inline: true },
      { name: 'Occurred', value: `<t:${Date.parse('2026-03-01T09:30:00Z') / 1000}:f>`, inline: true },
      { name: 'Added by', value: 'the API (ci)', inline: true },
    ]);
  });

  test('no records URL (or a malformed one), no link; unknown types and subjects still render', () => {
    for (const recordsUrl of [null, 'not a url', 'javascript:alert(1)']) {
      const [embed] = renderNotification([record({ recordType: 'custom', subjectId: 'gone' })], { ...context, recordsUrl }).embeds;
      expect(embed?.url).toBeUndefined();
      expect(embed?.title).toBe('custom');
    }
  });

  test('a Discord record names the reviewer as the one who added it', () => {
    const [embed] = renderNotification([record({ origin: 'discord', createdBy: '300' })], context).embeds;
    expect(embed?.fields?.[2]).toEqual({ name: 'Added by', value: '<@300>', inline: true });
  });

  test('several records become one digest embed, one linked line each', () => {
    const records = [record({ id: 'a' }), record({ id: 'b', recordType: 'log_entry', subjectId: null, description: 'Replaced\nthe  coil' })];
    const message = renderNotification(records, context);
    expect(message.embeds).toHaveLength(1);
    const [embed] = message.embeds;
    expect(embed?.title).toBe('2 new records');
    expect(embed?.description.split('\n')).toEqual([
      'Added by the API (ci)',
      expect.stringMatching(/^• \[\*\*Problem report — Machine 3\*\*\]\(https:\/\/records\.example\.org\/r\/a\) · <t:\d+:d> — Flipper coil/),
      expect.stringMatching(/^• \[\*\*Log entry\*\*\]\(https:\/\/records\.example\.org\/r\/b\) · <t:\d+:d> — Replaced the coil$/),
    ]);
  });

  test('markdown in a label cannot break a digest link', () => {
    const records = [record({ id: 'a' }), record({ id: 'b' })];
    const [embed] = renderNotification(records, { ...context, typeLabels: { problem_report: 'Fault [urgent]' } }).embeds;
    expect(embed?.description).toContain('[**Fault \\[urgent\\] — Machine 3**](');
  });

  test('a hundred long records keep to every limit, whole lines only, and the rest are counted', () => {
    const long = 'x'.repeat(1000);
    const records = Array.from({ length: 100 }, (_, index) => record({ id: `rec-${index}`, description: long }));
    const message = renderNotification(records, context);
    expect(limitViolations(message)).toEqual([]);
    const description = message.embeds[0]!.description;
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    const lines = description.split('\n');
    const shown = lines.filter((line) => line.startsWith('• '));
    expect(shown.length).toBeGreaterThan(5);
    expect(lines.at(-1)).toBe(`…and ${100 - shown.length} more`);
    // Every shown line still ends its link and its truncated description properly.
    for (const line of shown) expect(line).toMatch(/\]\(https:\/\/records\.example\.org\/r\/rec-\d+\) · <t:\d+:d> — x+…$/);
  });

  test('a lone record with oversized text is truncated within the limits', () => {
    const message = renderNotification(
      [record({ description: 'y'.repeat(10_000), createdBy: 'z'.repeat(3000), recordType: 'long' })],
      { ...context, typeLabels: { long: 'L'.repeat(400) } },
    );
    expect(limitViolations(message)).toEqual([]);
    const [embed] = message.embeds;
    expect(embed?.title).toHaveLength(DISCORD_LIMITS.title);
    expect(embed?.title.endsWith('…')).toBe(true);
    expect(embedLength(embed!)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  test('nothing to render is an error, not an empty message', () => {
    expect(() => renderNotification([], context)).toThrow();
  });
});

describe('truncate', () => {
  test('short text is untouched; long text ends in an ellipsis within the limit', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 0)).toBe('');
  });

  test('never splits a surrogate pair', () => {
    const text = 'ab😀cd';
    const cut = truncate(text, 4);
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});
