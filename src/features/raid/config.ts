// `/config raid …`: raid protection from Discord, stored where the HTTP API stores it. `set` changes only the
// options it is given; thresholds out of bounds and channels a lockdown could not change are refused here, with
// what to fix, never discovered mid-raid.
import { ApplicationCommandOptionType, ChannelType, Routes } from 'discord-api-types/v10';
import { screeningCustomIds } from '../../../workflows/raid/custom-id.js';
import { ButtonStyle, button, buttonRow } from '../../../workflows/shared/discord-kit.js';
import { VERIFICATION_NAMES } from '../../../workflows/raid/plan.js';
import type { ConfigGroup } from '../../discord/config-command.js';
import { lockdownChannelProblems } from './lockable-channels.js';
import { raidRulebook } from './rulebook.js';
import { memberRoleProblem } from './member-role.js';
import { screeningSchema } from './screening-settings.js';
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
        { type: Option.Integer, name: 'heat-decay', description: 'Spam heat a member cools by each second (default 8)' },
        { type: Option.Integer, name: 'flood-messages', description: "A member's messages within flood-seconds that give a strike (default 6)" },
        { type: Option.Integer, name: 'flood-seconds', description: 'The window for flood-messages (default 5)' },
        { type: Option.String, name: 'strike-minutes', description: 'Timeouts for the 1st, 2nd, … strike in a day, e.g. 1,10,60,1440' },
        { type: Option.Integer, name: 'join-timeout', description: 'Minutes a member who joins during a lockdown is timed out (default 60)' },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'screening',
      description: 'The gate for new members: Verify gives the member role; no Verify in time, a kick',
      options: [
        { type: Option.Boolean, name: 'enabled', description: 'Turn the gate on or off' },
        { type: Option.Role, name: 'member-role', description: 'The role members get once verified' },
        { type: Option.Integer, name: 'min-age-days', description: 'Accounts younger than this cannot verify (default 3)' },
        { type: Option.String, name: 'question', description: 'A question to answer when verifying (at most 45 characters)' },
        { type: Option.String, name: 'answer', description: "The question's answer (case does not matter)" },
        { type: Option.Boolean, name: 'no-question', description: 'Remove the question' },
        { type: Option.Integer, name: 'kick-after', description: 'Minutes a new member has to verify (default 30)' },
        { type: Option.Channel, name: 'post-in', description: 'Post the Verify button in this channel', channel_types: [ChannelType.GuildText] },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database, discord }) {
    const current = await raidSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeRaid(current);
    if (subcommand === 'screening') return configureScreening(guildId, current, options, { database, discord });
    const added = options.string('add-channel');
    const removed = options.string('remove-channel');
    const channelIds = [...current.channelIds.filter((id) => id !== removed && id !== added), ...(added ? [added] : [])];
    const given = <T, R extends object>(value: T | undefined, apply: (value: T) => R): Partial<R> => (value === undefined ? {} : apply(value));
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
      ...given(options.integer('join-timeout'), (joinTimeoutMinutes) => ({ joinTimeoutMinutes })),
      spam: {
        ...current.spam,
        ...given(options.integer('heat-cap'), (heatCap) => ({ heatCap })),
        ...given(options.integer('mention-limit'), (mentionLimit) => ({ mentionLimit })),
        ...given(options.integer('heat-decay'), (heatDecayPerSecond) => ({ heatDecayPerSecond })),
        ...given(options.string('strike-minutes'), (text) => ({ strikeTimeoutsMinutes: text.split(',').map((part) => Number(part.trim())) })),
        memberFlood: {
          ...current.spam.memberFlood,
          ...given(options.integer('flood-messages'), (messages) => ({ messages })),
          ...given(options.integer('flood-seconds'), (seconds) => ({ seconds })),
        },
      },
    });
    if (!candidate.success) return `${candidate.error.issues.map((issue) => `${optionNamed(issue.path.join('.'))}: ${issue.message}`).join('; ')}. Nothing was changed.`;
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

type ConfigRun = Parameters<ConfigGroup['run']>;

async function configureScreening(guildId: string, current: RaidSettingsInput, options: ConfigRun[0]['options'], { database, discord }: Pick<ConfigRun[1], 'database' | 'discord'>): Promise<string> {
  const screening = current.screening;
  const removeQuestion = options.boolean('no-question') === true;
  const candidate = screeningSchema.safeParse({
    enabled: options.boolean('enabled') ?? screening.enabled,
    memberRoleId: options.string('member-role') ?? screening.memberRoleId,
    minAccountAgeDays: options.integer('min-age-days') ?? screening.minAccountAgeDays,
    question: removeQuestion ? null : (options.string('question') ?? screening.question),
    answer: removeQuestion ? null : (options.string('answer') ?? screening.answer),
    kickAfterMinutes: options.integer('kick-after') ?? screening.kickAfterMinutes,
  });
  if (!candidate.success) return `${candidate.error.issues.map((issue) => `${SCREENING_OPTION_NAMES[issue.path.join('.')] ?? issue.path.join('.')}: ${issue.message}`).join('; ')}. Nothing was changed.`;
  if (candidate.data.enabled && candidate.data.memberRoleId && discord) {
    const problem = await memberRoleProblem(discord, guildId, candidate.data.memberRoleId);
    if (problem) return `${problem} Nothing was changed.`;
  }
  const saved = await database.transaction((em) => saveRaidSettings(em, guildId, { ...current, screening: candidate.data }));
  await raidRulebook(database).reload();
  const postIn = options.string('post-in');
  if (postIn && discord) {
    await discord.post(Routes.channelMessages(postIn), {
      body: {
        embeds: [{ title: 'Welcome!', description: `Press **Verify** to get access to the server${saved.screening.question ? ' (you will be asked one question)' : ''}.` }],
        components: [buttonRow([button('Verify', screeningCustomIds.encode('verify', guildId), ButtonStyle.Success)])],
        allowed_mentions: { parse: [] },
      },
    });
  }
  return `Saved.\n${describeScreening(saved.screening)}${postIn ? `\nThe Verify button is in <#${postIn}>.` : ''}`;
}

const SCREENING_OPTION_NAMES: Record<string, string> = { memberRoleId: 'member-role', minAccountAgeDays: 'min-age-days', kickAfterMinutes: 'kick-after' };

function describeScreening(screening: RaidSettingsInput['screening']): string {
  if (!screening.enabled) return 'Screening gate: off';
  return `Screening gate: on; Verify gives <@&${screening.memberRoleId}> to accounts at least ${screening.minAccountAgeDays} days old${screening.question ? ` who answer "${screening.question}"` : ''}; unverified members are kicked after ${minutes(screening.kickAfterMinutes)}`;
}

const minutes = (count: number) => `${count} minute${count === 1 ? '' : 's'}`;

/** The /config option a settings path came from ("spam.strikeTimeoutsMinutes.1" → "strike-minutes"). */
function optionNamed(path: string): string {
  const match = Object.keys(OPTION_NAMES).find((key) => path === key || path.startsWith(`${key}.`));
  return match ? OPTION_NAMES[match]! : path;
}

const OPTION_NAMES: Record<string, string> = {
  joinThreshold: 'joins',
  joinWindowSeconds: 'window',
  youngAccountDays: 'young-days',
  quietMinutes: 'quiet-minutes',
  slowmodeSeconds: 'slowmode',
  joinTimeoutMinutes: 'join-timeout',
  'spam.heatCap': 'heat-cap',
  'spam.mentionLimit': 'mention-limit',
  'spam.heatDecayPerSecond': 'heat-decay',
  'spam.memberFlood.messages': 'flood-messages',
  'spam.memberFlood.seconds': 'flood-seconds',
  'spam.strikeTimeoutsMinutes': 'strike-minutes',
};

function describeRaid(settings: RaidSettingsInput): string {
  return [
    `Raid protection: ${settings.enabled ? 'on' : 'off'}`,
    `A raid: ${settings.joinThreshold} weighted joins in ${settings.joinWindowSeconds} s (accounts younger than ${settings.youngAccountDays} days count more)`,
    `Lockdown: starts at level ${settings.startLevel}, slowmode ${settings.slowmodeSeconds} s, verification up to ${VERIFICATION_NAMES[settings.raisedVerificationLevel]}; lifts after ${minutes(settings.quietMinutes)} without a detection`,
    `Channels: ${settings.channelIds.length ? settings.channelIds.map((id) => `<#${id}>`).join(', ') : 'every text channel Steward can manage'}`,
    `Alert card: ${settings.alertChannelId ? `<#${settings.alertChannelId}>` : "the approvals channel"}; joiners during a lockdown: ${settings.joinAction === 'none' ? 'left alone' : settings.joinAction === 'kick' ? 'kicked' : `timed out for ${minutes(settings.joinTimeoutMinutes)}`}`,
    describeScreening(settings.screening),
    `Spam: a strike at heat ${settings.spam.heatCap}, ${settings.spam.mentionLimit} mentions or ${settings.spam.memberFlood.messages} messages in ${settings.spam.memberFlood.seconds} s; timeouts ${settings.spam.strikeTimeoutsMinutes.join(', ')} minutes`,
  ].join('\n');
}
