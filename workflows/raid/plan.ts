// What a lockdown changes at each level, worked out from the snapshot alone (so the workflow always knows what it
// set), and what a lift does with each thing it changed: restore it, find it already restored, or keep a change a
// moderator made by hand. Pure.
import type { ChannelSnapshot, EveryoneOverwrite, LockdownLevel, LockdownRules, ServerSnapshot } from './messages.js';

const SEND_MESSAGES = 1n << 11n;
const SEND_MESSAGES_IN_THREADS = 1n << 38n;
/** What "deny Send Messages" takes from @everyone: posting in the channel and in its threads. */
export const LOCKED_PERMISSIONS = SEND_MESSAGES | SEND_MESSAGES_IN_THREADS;

export const MAX_VERIFICATION_LEVEL = 4;

/** What a lockdown at a level has set on one channel (absent: left alone). */
export interface ChannelChange {
  channelId: string;
  slowmodeSeconds?: number;
  everyone?: EveryoneOverwrite;
}

export interface LockdownChanges {
  channels: ChannelChange[];
  invitesDisabled: boolean;
  verificationLevel?: number;
}

/** @everyone's overwrite with sending denied, keeping every other bit as the server had it. */
export function lockedOverwrite(before: EveryoneOverwrite | null): EveryoneOverwrite {
  const allow = BigInt(before?.allow ?? '0') & ~LOCKED_PERMISSIONS;
  const deny = BigInt(before?.deny ?? '0') | LOCKED_PERMISSIONS;
  return { allow: allow.toString(), deny: deny.toString() };
}

/** Everything a lockdown at `level` has set: each level adds to those below it, and nothing is made laxer. */
export function changesAt(level: LockdownLevel, snapshot: ServerSnapshot, rules: Pick<LockdownRules, 'slowmodeSeconds' | 'raisedVerificationLevel'>): LockdownChanges {
  const channels = snapshot.channels.map((channel): ChannelChange => {
    const change: ChannelChange = { channelId: channel.channelId };
    if (level >= 1 && channel.slowmodeSeconds < rules.slowmodeSeconds) change.slowmodeSeconds = rules.slowmodeSeconds;
    if (level >= 3) {
      const locked = lockedOverwrite(channel.everyone);
      if (!sameOverwrite(locked, channel.everyone)) change.everyone = locked;
    }
    return change;
  });
  return {
    channels: channels.filter((change) => change.slowmodeSeconds !== undefined || change.everyone !== undefined),
    invitesDisabled: level >= 2 && !snapshot.invitesDisabled,
    ...(level >= 4 && snapshot.verificationLevel < rules.raisedVerificationLevel ? { verificationLevel: rules.raisedVerificationLevel } : {}),
  };
}

export function sameOverwrite(a: EveryoneOverwrite | null, b: EveryoneOverwrite | null): boolean {
  if (!a || !b) return a === b || (isEmpty(a) && isEmpty(b));
  return BigInt(a.allow) === BigInt(b.allow) && BigInt(a.deny) === BigInt(b.deny);
}

const isEmpty = (overwrite: EveryoneOverwrite | null) => !overwrite || (BigInt(overwrite.allow) === 0n && BigInt(overwrite.deny) === 0n);

/**
 * What a lift does with one thing it changed, given what is there now: `restore` what the lockdown set, find it
 * `already` restored (a lift that ran before a crash), or `keep` what someone else set since.
 */
export function restoreDecision<T>(now: T, applied: T, before: T, same: (a: T, b: T) => boolean): 'restore' | 'already' | 'keep' {
  if (same(now, applied)) return 'restore';
  if (same(now, before)) return 'already';
  return 'keep';
}

/** The snapshot of one channel, for what a lift should put back. */
export function channelBefore(snapshot: ServerSnapshot, channelId: string): ChannelSnapshot {
  const channel = snapshot.channels.find((candidate) => candidate.channelId === channelId);
  if (!channel) throw new Error(`Channel ${channelId} is not in the lockdown's snapshot`);
  return channel;
}

/** "slowmode 30 s on 12 channels", "invites paused", … for the card and the case timeline. */
export function describeLevel(level: LockdownLevel, changes: LockdownChanges, rules: Pick<LockdownRules, 'slowmodeSeconds' | 'raisedVerificationLevel'>): string[] {
  const slowed = changes.channels.filter((change) => change.slowmodeSeconds !== undefined).length;
  const locked = changes.channels.filter((change) => change.everyone !== undefined).length;
  const done = [`Slowmode ${rules.slowmodeSeconds} s on ${slowed} channel${slowed === 1 ? '' : 's'}`];
  if (level >= 2) done.push(changes.invitesDisabled ? 'Invites paused' : 'Invites were already paused');
  if (level >= 3) done.push(`@everyone cannot send in ${locked} channel${locked === 1 ? '' : 's'}`);
  if (level >= 4) done.push(changes.verificationLevel !== undefined ? `Verification level raised to ${VERIFICATION_NAMES[changes.verificationLevel]}` : 'Verification level was already high enough');
  return done;
}

export const VERIFICATION_NAMES = ['None', 'Low', 'Medium', 'High', 'Highest'];
