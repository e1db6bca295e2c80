// `/config xp …`: the server's XP rules, stored where the HTTP API stores them and checked by the same schema.
// `set` changes only what it is given; rewards, channel and role multipliers are added and removed one at a time.
import { ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { CURVE_PRESETS, type CurvePreset } from '../../../workflows/leveling/curve.js';
import { refusedSettings, type ConfigGroup } from '../../discord/config-command.js';
import { levelingRulebook, levelingSettings, levelingSettingsSchema, saveLevelingSettings, type LevelingSettings } from './settings.js';

const Option = ApplicationCommandOptionType;
const text: [ChannelType.GuildText] = [ChannelType.GuildText];

const OPTION_NAMES: Record<string, string> = {
  xpMin: 'xp-min',
  xpMax: 'xp-max',
  cooldownSeconds: 'cooldown',
  rewardMode: 'rewards',
  announceChannelId: 'announce-channel',
  roleRewards: 'reward',
  channelMultipliers: 'multiplier',
  roleMultipliers: 'multiplier',
};

export const levelingConfig: ConfigGroup = {
  name: 'xp',
  description: 'XP and levels: amounts, cooldown, curve, multipliers, role rewards, announcements',
  subcommands: [
    { type: Option.Subcommand, name: 'show', description: 'Show the XP settings' },
    {
      type: Option.Subcommand,
      name: 'set',
      description: 'Change XP settings (only the options you give)',
      options: [
        { type: Option.Boolean, name: 'enabled', description: 'Members earn XP for their messages' },
        { type: Option.Integer, name: 'xp-min', description: 'Least XP a message earns (default 15)', min_value: 1, max_value: 1000 },
        { type: Option.Integer, name: 'xp-max', description: 'Most XP a message earns (default 25)', min_value: 1, max_value: 1000 },
        { type: Option.Integer, name: 'cooldown', description: 'Seconds before a member earns XP again (default 60)', min_value: 0, max_value: 86_400 },
        { type: Option.String, name: 'curve', description: 'What levels cost', choices: (Object.keys(CURVE_PRESETS) as CurvePreset[]).map((name) => ({ name: curveName(CURVE_PRESETS[name]), value: name })) },
        { type: Option.Number, name: 'curve-a', description: 'Custom curve: level L → L+1 costs a·L² + b·L + c (a)' },
        { type: Option.Number, name: 'curve-b', description: 'Custom curve (b)' },
        { type: Option.Number, name: 'curve-c', description: 'Custom curve (c)' },
        { type: Option.String, name: 'rewards', description: 'Reward roles stack, or a new one replaces the last', choices: [{ name: 'stack', value: 'stack' }, { name: 'replace', value: 'replace' }] },
        { type: Option.String, name: 'announce', description: 'Where level-ups are announced', choices: [{ name: 'in a channel', value: 'channel' }, { name: 'by DM', value: 'dm' }, { name: 'nowhere', value: 'off' }] },
        { type: Option.Channel, name: 'announce-channel', description: 'The level-up channel (none: where the member was talking)', channel_types: text },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'reward',
      description: 'Give a role at a level (or take the reward away)',
      options: [
        { type: Option.Integer, name: 'level', description: 'The level', required: true, min_value: 1, max_value: 1000 },
        { type: Option.Role, name: 'role', description: 'The role it gives (leave out to remove the reward)' },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'channel',
      description: "A channel's XP multiplier, or no XP there",
      options: [
        { type: Option.Channel, name: 'channel', description: 'The channel', required: true, channel_types: text },
        { type: Option.Number, name: 'multiplier', description: 'XP times this here (1 to clear)', min_value: 0, max_value: 10 },
        { type: Option.Boolean, name: 'ignore', description: 'No XP at all in this channel' },
      ],
    },
    {
      type: Option.Subcommand,
      name: 'role',
      description: "A role's XP multiplier (a member with several gets the largest)",
      options: [
        { type: Option.Role, name: 'role', description: 'The role', required: true },
        { type: Option.Number, name: 'multiplier', description: 'XP times this (1 to clear)', required: true, min_value: 0, max_value: 10 },
      ],
    },
  ],
  async run({ guildId, subcommand, options }, { database }) {
    const current = await levelingSettings(database.fork(), guildId);
    if (subcommand === 'show') return describeLeveling(current);
    const candidate = levelingSettingsSchema.safeParse(changed(current, subcommand, options));
    if (!candidate.success) return refusedSettings(candidate.error.issues, OPTION_NAMES);
    const saved = await database.transaction((em) => saveLevelingSettings(em, guildId, candidate.data));
    await levelingRulebook(database).reload();
    return `Saved.\n${describeLeveling(saved)}`;
  },
};

type Options = Parameters<ConfigGroup['run']>[0]['options'];

function changed(current: LevelingSettings, subcommand: string, options: Options): LevelingSettings {
  switch (subcommand) {
    case 'reward': {
      const level = options.integer('level')!;
      const roleId = options.string('role');
      const others = current.roleRewards.filter((reward) => reward.level !== level);
      return { ...current, roleRewards: [...others, ...(roleId ? [{ level, roleId }] : [])].sort((left, right) => left.level - right.level) };
    }
    case 'channel': {
      const channelId = options.string('channel')!;
      const multiplier = options.number('multiplier');
      const ignore = options.boolean('ignore');
      const multipliers = without(current.channelMultipliers, channelId);
      return {
        ...current,
        channelMultipliers: multiplier === undefined ? current.channelMultipliers : multiplier === 1 ? multipliers : { ...multipliers, [channelId]: multiplier },
        ignoredChannelIds: ignore === undefined ? current.ignoredChannelIds : [...current.ignoredChannelIds.filter((id) => id !== channelId), ...(ignore ? [channelId] : [])],
      };
    }
    case 'role': {
      const roleId = options.string('role')!;
      const multiplier = options.number('multiplier')!;
      const multipliers = without(current.roleMultipliers, roleId);
      return { ...current, roleMultipliers: multiplier === 1 ? multipliers : { ...multipliers, [roleId]: multiplier } };
    }
    default: {
      const preset = options.string('curve') as CurvePreset | undefined;
      const base = preset ? CURVE_PRESETS[preset] : current.curve;
      return {
        ...current,
        enabled: options.boolean('enabled') ?? current.enabled,
        xpMin: options.integer('xp-min') ?? current.xpMin,
        xpMax: options.integer('xp-max') ?? current.xpMax,
        cooldownSeconds: options.integer('cooldown') ?? current.cooldownSeconds,
        curve: { a: options.number('curve-a') ?? base.a, b: options.number('curve-b') ?? base.b, c: options.number('curve-c') ?? base.c },
        rewardMode: (options.string('rewards') as LevelingSettings['rewardMode'] | undefined) ?? current.rewardMode,
        announce: (options.string('announce') as LevelingSettings['announce'] | undefined) ?? current.announce,
        announceChannelId: options.string('announce-channel') ?? current.announceChannelId,
      };
    }
  }
}

function without(map: Record<string, number>, id: string): Record<string, number> {
  return Object.fromEntries(Object.entries(map).filter(([key]) => key !== id));
}

function curveName({ a, b, c }: { a: number; b: number; c: number }): string {
  return `${[a ? `${a}L²` : '', b ? `${b}L` : '', c ? `${c}` : ''].filter(Boolean).join(' + ')} XP per level`;
}

function describeLeveling(settings: LevelingSettings): string {
  const multipliers = (map: Record<string, number>, mention: (id: string) => string) => Object.entries(map).map(([id, times]) => `${mention(id)} ×${times}`).join(', ') || 'none';
  return [
    `XP: ${settings.enabled ? 'on' : 'off'}; ${settings.xpMin}–${settings.xpMax} per message, at most once every ${settings.cooldownSeconds} s`,
    `Curve: level L → L+1 costs ${curveName(settings.curve)}`,
    `Channel multipliers: ${multipliers(settings.channelMultipliers, (id) => `<#${id}>`)}; no XP in ${settings.ignoredChannelIds.map((id) => `<#${id}>`).join(', ') || 'no channel'}`,
    `Role multipliers: ${multipliers(settings.roleMultipliers, (id) => `<@&${id}>`)}`,
    `Role rewards (${settings.rewardMode}): ${settings.roleRewards.map((reward) => `level ${reward.level} <@&${reward.roleId}>`).join(', ') || 'none'}`,
    `Level-ups announced: ${settings.announce === 'off' ? 'nowhere' : settings.announce === 'dm' ? 'by DM' : settings.announceChannelId ? `in <#${settings.announceChannelId}>` : 'where the member was talking'}`,
  ].join('\n');
}
