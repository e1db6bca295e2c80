// What each lockdown level changes, worked out from the snapshot alone, and what a lift does with each change.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { ServerSnapshot } from '../../../workflows/raid/messages.js';
import { changesAt, lockedOverwrite, restoreDecision, sameOverwrite } from '../../../workflows/raid/plan.js';

const snapshot: ServerSnapshot = {
  guildId: 'g',
  channels: [
    { channelId: 'styled', name: 'styled', everyone: { allow: String(P.AttachFiles), deny: String(P.EmbedLinks) }, slowmodeSeconds: 0 },
    { channelId: 'slow', name: 'slow', everyone: null, slowmodeSeconds: 60 },
  ],
  verificationLevel: 1,
  invitesDisabled: false,
};
const rules = { slowmodeSeconds: 30, raisedVerificationLevel: 3 };

test('each level adds to the one below, and nothing is made laxer than it was', () => {
  expect(changesAt(1, snapshot, rules)).toEqual({ channels: [{ channelId: 'styled', slowmodeSeconds: 30 }], invitesDisabled: false });
  expect(changesAt(2, snapshot, rules).invitesDisabled).toBe(true);
  const locked = changesAt(4, snapshot, rules);
  expect(locked.channels.map((change) => Object.keys(change).sort())).toEqual([
    ['channelId', 'everyone', 'slowmodeSeconds'],
    ['channelId', 'everyone'],
  ]);
  expect(locked.verificationLevel).toBe(3);
  expect(changesAt(4, { ...snapshot, verificationLevel: 4, invitesDisabled: true }, rules)).toMatchObject({ invitesDisabled: false });
  expect(changesAt(4, { ...snapshot, verificationLevel: 4 }, rules).verificationLevel).toBeUndefined();
});

test("locking denies sending and keeps the overwrite's other bits", () => {
  const locked = lockedOverwrite({ allow: String(P.AttachFiles | P.SendMessages), deny: String(P.EmbedLinks) });
  expect(BigInt(locked.allow)).toBe(P.AttachFiles);
  expect(BigInt(locked.deny)).toBe(P.EmbedLinks | P.SendMessages | P.SendMessagesInThreads);
});

test('a lift restores what is still as the lockdown set it, leaves what is already back, keeps a change made by hand', () => {
  const same = (a: number, b: number) => a === b;
  expect(restoreDecision(30, 30, 0, same)).toBe('restore');
  expect(restoreDecision(0, 30, 0, same)).toBe('already');
  expect(restoreDecision(10, 30, 0, same)).toBe('keep');
  expect(sameOverwrite(null, { allow: '0', deny: '0' })).toBe(true);
});
