// `/config raid …`: raid protection from Discord, stored where the HTTP API stores it. `set` changes only the
// options it is given; thresholds out of bounds and channels a lockdown could not change are refused here, with
// what to fix, never discovered mid-raid.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { VERIFICATION_NAMES } from '../../../workflows/raid/plan.js';
import type { ConfigGroup } from '../../discord/config-command.js';
import { lockdownChannelProblems } from './lockable-channels.js';
import { raidRulebook } from './rulebook.js';
import { raidSettings, raidSettingsSchema, saveRaidSettings, type RaidSettingsInput } from './settings.js';

const Option = ApplicationCommandOptionType;
const LEVEL_CHOICES = [
  { name: '1: slowmode', value: 1 },
  { name: '2: + pause invites', value: 2 },
  { name: '3: + @everyone cannot send', value: 3 },
  { name: '4: + higher verification level', value: 4 },
];

export const raidConfig: ConfigGroup = {
  name: 'raid',
  description: 'Raid and spam protection: thresholds and what a lockdown does',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the raid protection settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change raid protection (only the options you give)',
      options: [
        { type: Option.Boolean, name: 'enabled', description: 'Turn raid protection on or off' },
        { type: Option.Integer, name: 'joins', description: 'Weighted joins that make a raid (default 10)' },
        { type: Option.Integer, name: 'window', description: 'Within this many seconds (default 10)' },
        { type: Option.Integer, name: 'young-days', description: 'Accounts younger than this count more (default 7)' },
        { type: Option.Integer, name: 'quiet-minutes', description: 'Minutes without a detection before the lockdown lifts itself (default 10)' },
        { type: Option.Integer, name: 'start-level', description: 'Where a lockdown starts', choices: LEVEL_CHOICES },
        { type: Option.Integer, name: 'slowmode', description: 'Slowmode seconds a lockdown sets (default 30)' },
        { type: Option.Integer, name: 'verification', description: 'The verification level the last step raises to', choices: VERIFICATION_NAMES.slice(1).map((name, index) => ({ name, value: index + 1 })) },
        { type: Option.Channel, name: 'alert-channel', description: "The moderators' channel for the alert card", channel_types: [ChannelType.GuildText] },
        { type: Option.Channel, name: 'add-channel', description: 'A channel a lockdown locks (none chosen: every channel Steward can)', channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] },
        { type: Option.Channel, name: 'remove-channel', description: 'A channel a lockdown leaves alone from now on', channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] },
        { type: Option.String, name: 'join-action', description: 'What happens to members who join during a lockdown', choices: ['timeout', 'kick', 'none'].map((name) => ({ name, value: name })) },
        { type: Option.Integer, name: 'heat-cap', description: 'Spam heat that gives a member a strike (default 100)' },
        { type: Option.Integer, name: 'mention-limit', description: 'Mentions in one message that give a strike (default 5)' },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database, discord }) {
    const current = await raidSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeRaid(current);
    const added = options.string('add-channel');
    const removed = options.string('remove-channel');
    const channelIds = [...current.channelIds.filter((id) => id !== removed && id !== added), ...(added ? [added] : [])];
    const given = <T>(value: T | undefined, apply: (value: T) => Partial<RaidSettingsInput>) => (value === undefined ? {} : apply(value));
    const candidate = raidSettingsSchema.safeParse({
      ...current,
      channelIds,
      ...given(options.boolean('enabled'), (enabled) => ({ enabled })),
      ...given(options.integer('joins'), (joinThreshold) => ({ joinThreshold })),
      ...given(options.integer('window'), (joinWindowSeconds) => ({ joinWindowSeconds })),
      ...given(options.integer('young-days'), (youngAccountDays) => ({ youngAccountDays })),
      ...given(options.integer('quiet-minutes'), (quietMinutes) => ({ quietMinutes })),
      ...given(options.integer('start-level'), (startLevel) => ({ startLevel })),
      ...given(options.integer('slowmode'), (slowmodeSeconds) => ({ slowmodeSeconds })),
      ...given(options.integer('verification'), (raisedVerificationLevel) => ({ raisedVerificationLevel })),
      ...given(options.string('alert-channel'), (alertChannelId) => ({ alertChannelId })),
      ...given(options.string('join-action'), (joinAction) => ({ joinAction: joinAction as RaidSettingsInput['joinAction'] })),
      ...given(options.integer('heat-cap'), (heatCap) => ({ spam: { ...current.spam, heatCap } })),
      ...given(options.integer('mention-limit'), (mentionLimit) => ({ spam: { ...current.spam, mentionLimit } })),
    });
    if (!candidate.success) return `${candidate.error.issues.map((issue) => `${OPTION_NAMES[issue.path.join('.')] ?? issue.path.join('.')}: ${issue.message}`).join('; ')}. Nothing was changed.`;
    const next = candidate.data;
    if (next.enabled && discord) {
      const problems = await lockdownChannelProblems(discord, guildId, next.channelIds);
      if (problems.length > 0) return `A lockdown could not do its job:\n${problems.map((problem) => `• ${problem}`).join('\n')}\nNothing was changed.`;
    }
    const saved = await database.transaction((em) => saveRaidSettings(em, guildId, next));
    await raidRulebook(database).reload();
    return `Saved.\n${describeRaid(saved)}`;
  },
};

const OPTION_NAMES: Record<string, string> = {
  joinThreshold: 'joins',
  joinWindowSeconds: 'window',
  youngAccountDays: 'young-days',
  quietMinutes: 'quiet-minutes',
  slowmodeSeconds: 'slowmode',
  'spam.heatCap': 'heat-cap',
  'spam.mentionLimit': 'mention-limit',
};

function describeRaid(settings: RaidSettingsInput): string {
  return [
    `Raid protection: ${settings.enabled ? 'on' : 'off'}`,
    `A raid: ${settings.joinThreshold} weighted joins in ${settings.joinWindowSeconds} s (accounts younger than ${settings.youngAccountDays} days count more)`,
    `Lockdown: starts at level ${settings.startLevel}, slowmode ${settings.slowmodeSeconds} s, verification up to ${VERIFICATION_NAMES[settings.raisedVerificationLevel]}; lifts after ${settings.quietMinutes} quiet minutes`,
    `Channels: ${settings.channelIds.length ? settings.channelIds.map((id) => `<#${id}>`).join(', ') : 'every text channel Steward can manage'}`,
    `Alert card: ${settings.alertChannelId ? `<#${settings.alertChannelId}>` : "the approvals channel"}; joiners during a lockdown: ${settings.joinAction === 'none' ? 'left alone' : settings.joinAction === 'kick' ? 'kicked' : `timed out for ${settings.joinTimeoutMinutes} minutes`}`,
    `Spam: a strike at heat ${settings.spam.heatCap}, ${settings.spam.mentionLimit} mentions or ${settings.spam.memberFlood.messages} messages in ${settings.spam.memberFlood.seconds} s; timeouts ${settings.spam.strikeTimeoutsMinutes.join(', ')} minutes`,
  ].join('\n');
}
