// The context window: which messages the LLM reads, in which order, and what goes first when there are too many.
import {
  CHANNEL_MESSAGES_BEFORE_TARGET,
  MAX_CONTEXT_MESSAGES,
  MESSAGES_BEFORE_REPLY_ORIGIN,
  PARENT_MESSAGES_BEFORE_STARTER,
  THREAD_MESSAGES_BEFORE_TARGET,
  selectContext,
} from '../../../activities/records/context-window.js';
import { idOf, ids, message, messages } from './fixtures.js';

test('the limits are the ones the community agreed on', () => {
  expect([
    CHANNEL_MESSAGES_BEFORE_TARGET,
    THREAD_MESSAGES_BEFORE_TARGET,
    PARENT_MESSAGES_BEFORE_STARTER,
    MESSAGES_BEFORE_REPLY_ORIGIN,
    MAX_CONTEXT_MESSAGES,
  ]).toEqual([30, 50, 10, 10, 100]);
});

test('in a channel, the 30 messages before the target and the target, chronological', () => {
  const target = message(100);
  const context = selectContext({ target, before: messages(60, 99) });
  expect(ids(context)).toEqual([...ids(messages(70, 99)), target.id]);
});

test('a target with nothing before it is its own context', () => {
  const target = message(0);
  expect(selectContext({ target, before: [] })).toEqual([target]);
});

test('in a thread, 50 before the target, the starter and 10 parent messages before the starter', () => {
  const parentBefore = messages(0, 14);
  const starter = message(15);
  const inThread = messages(16, 80);
  const target = message(81);
  const context = selectContext({ target, before: inThread, thread: { starter, parentBefore } });
  expect(ids(context)).toEqual([...ids(messages(5, 14)), starter.id, ...ids(messages(31, 80)), target.id]);
  expect(context).toHaveLength(PARENT_MESSAGES_BEFORE_STARTER + 1 + THREAD_MESSAGES_BEFORE_TARGET + 1);
});

test('a reply chain brings its origin, everything since, and 10 messages before the origin', () => {
  const origin = message(20);
  const between = messages(21, 69);
  const target = message(70, { replyToId: idOf(40) });
  const context = selectContext({
    target,
    before: messages(40, 69),
    replyChain: { messages: [origin, ...between], beforeOrigin: messages(5, 19) },
  });
  expect(ids(context)).toEqual([...ids(messages(10, 69)), target.id]);
});

test('lists that overlap are merged once, and the output is chronological whatever list a message came from', () => {
  const target = message(50, { replyToId: idOf(30) });
  const chain = messages(30, 49);
  const replyChain = { messages: chain, beforeOrigin: [] };
  const context = selectContext({ target, before: messages(20, 49), replyChain });
  expect(ids(context)).toEqual([...ids(messages(20, 49)), target.id]);
});

test('messages posted in the same second are ordered by snowflake, a shorter id being older', () => {
  const createdAt = '2025-03-01T09:00:00.000Z';
  const older = message(1, { id: '999', createdAt });
  const newer = message(2, { id: '1000', createdAt });
  const target = message(3, { id: '1001', createdAt });
  expect(ids(selectContext({ target, before: [newer, older] }))).toEqual(['999', '1000', '1001']);
});

describe('already recorded messages', () => {
  test('are left out, and the window does not reach further back to replace them', () => {
    const before = messages(70, 99).map((entry, offset) => ({ ...entry, alreadyRecorded: offset % 2 === 0 }));
    const target = message(100);
    const context = selectContext({ target, before: [...messages(60, 69), ...before] });
    expect(context.some((entry) => entry.alreadyRecorded)).toBe(false);
    expect(ids(context)).toEqual([...ids(before.filter((entry) => !entry.alreadyRecorded)), target.id]);
  });

  test('the target is kept even when it is already recorded', () => {
    const target = message(10, { alreadyRecorded: true });
    expect(ids(selectContext({ target, before: messages(0, 9) }))).toEqual([...ids(messages(0, 9)), target.id]);
  });

  test('a recorded thread starter or reply origin is left out too', () => {
    const starter = message(5, { alreadyRecorded: true });
    const target = message(10, { replyToId: starter.id });
    const context = selectContext({
      target,
      before: messages(6, 9),
      thread: { starter, parentBefore: messages(0, 4) },
      replyChain: { messages: [starter, ...messages(6, 9)], beforeOrigin: messages(0, 4) },
    });
    expect(ids(context)).toEqual([...ids(messages(0, 4)), ...ids(messages(6, 9)), target.id]);
  });
});

describe('the cap of 100 messages', () => {
  test('with a long reply chain, cuts the earliest context and keeps the origin, the links and the target', () => {
    // Origin at 0, 150 messages after it; the target answers 149, which answers 30, which answers the origin.
    const origin = message(0);
    const replies: Record<string, string> = { [idOf(30)]: origin.id, [idOf(149)]: idOf(30) };
    const between = messages(1, 150).map((entry) => ({ ...entry, replyToId: replies[entry.id] }));
    const target = message(151, { replyToId: idOf(149) });
    const context = selectContext({
      target,
      before: messages(121, 150),
      replyChain: { messages: [origin, ...between], beforeOrigin: messages(-10, -1) },
    });
    expect(context).toHaveLength(MAX_CONTEXT_MESSAGES);
    // The target, the origin, links 149 and 30, then the 96 latest other messages: 150 and 148 down to 54.
    expect(ids(context)).toEqual([origin.id, idOf(30), ...ids(messages(54, 150)), target.id]);
  });

  test('when the chain alone is longer, keeps the target, the origin and the links nearest the target', () => {
    const origin = message(0);
    const chain = messages(1, 150).map((entry, offset) => ({ ...entry, replyToId: idOf(offset) }));
    const target = message(151, { replyToId: idOf(150) });
    const replyChain = { messages: [origin, ...chain], beforeOrigin: [] };
    const context = selectContext({ target, before: [], replyChain });
    expect(ids(context)).toEqual([origin.id, ...ids(messages(53, 150)), target.id]);
  });

  test('a recorded link is left out but the walk goes through it to the links before it', () => {
    const origin = message(0);
    const between = messages(1, 150).map((entry) => {
      if (entry.id === idOf(20)) return { ...entry, replyToId: origin.id };
      if (entry.id === idOf(30)) return { ...entry, replyToId: idOf(20), alreadyRecorded: true };
      return entry.id === idOf(140) ? { ...entry, replyToId: idOf(30) } : entry;
    });
    const target = message(151, { replyToId: idOf(140) });
    const replyChain = { messages: [origin, ...between], beforeOrigin: [] };
    const context = selectContext({ target, before: [], replyChain });
    expect(context).toHaveLength(MAX_CONTEXT_MESSAGES);
    expect(ids(context)).toEqual(expect.arrayContaining([origin.id, idOf(20), idOf(140), target.id]));
    expect(ids(context)).not.toContain(idOf(30));
    expect(ids(context).slice(0, 2)).toEqual([origin.id, idOf(20)]);
  });

  test('a thread inside a long reply chain drops the parent channel context first', () => {
    const parentBefore = messages(0, 9);
    const starter = message(10);
    const origin = message(11);
    const between = messages(12, 120);
    const target = message(121, { replyToId: origin.id });
    const context = selectContext({
      target,
      before: messages(71, 120),
      thread: { starter, parentBefore },
      replyChain: { messages: [origin, ...between], beforeOrigin: [...parentBefore, starter] },
    });
    expect(context).toHaveLength(MAX_CONTEXT_MESSAGES);
    expect(ids(context)).toEqual([origin.id, ...ids(messages(23, 120)), target.id]);
  });
});
